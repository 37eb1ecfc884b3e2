import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The hot PL/pgSQL functions live in `migrations/functions/<name>.sql`, one function per file,
 * edited in place: a change to one is a diff a reviewer reads like code, not a copy in a new
 * migration. A file is applied when the function it defines is missing or was made from other
 * text; the SHA-256 of the text it was made from is kept as the function's comment. `migrate()`
 * applies them after the versioned migrations, so a function may use every table and column the
 * migrations made; a migration that needs a function (a trigger, a backfill) applies it itself.
 */
const DIR = join(__dirname, 'functions');

interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

export function functionNames(): string[] {
  return readdirSync(DIR)
    .filter((f) => f.endsWith('.sql'))
    .map((f) => f.slice(0, -4))
    .sort();
}

function functionText(name: string): { sql: string; hash: string } {
  const sql = readFileSync(join(DIR, `${name}.sql`), 'utf8');
  return { sql, hash: `sha256:${createHash('sha256').update(sql).digest('hex')}` };
}

/** Applies the named functions' files unless each is already there, made from the same text. */
export async function applyFunctions(q: Queryable, names: readonly string[] = functionNames()): Promise<string[]> {
  const applied: string[] = [];
  for (const name of names) {
    const { sql, hash } = functionText(name);
    const found = (await q.query(
      `SELECT p.oid::regprocedure::text AS signature, obj_description(p.oid, 'pg_proc') AS hash FROM pg_proc p WHERE p.proname = $1 AND p.pronamespace = current_schema()::regnamespace`,
      [name],
    )) as { signature: string; hash: string | null }[];
    if (found.length === 1 && found[0].hash === hash) continue;
    // Another signature of the same name is an older version: it goes, so one definition is left.
    for (const f of found) await q.query(`DROP FUNCTION IF EXISTS ${f.signature}`);
    await q.query(sql);
    const made = (await q.query(
      `SELECT p.oid::regprocedure::text AS signature FROM pg_proc p WHERE p.proname = $1 AND p.pronamespace = current_schema()::regnamespace`,
      [name],
    )) as { signature: string }[];
    if (made.length !== 1) throw new Error(`migrations/functions/${name}.sql must define exactly one function named ${name}`);
    await q.query(`COMMENT ON FUNCTION ${made[0].signature} IS '${hash}'`);
    applied.push(name);
  }
  return applied;
}
