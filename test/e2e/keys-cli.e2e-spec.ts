import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { hashApiKey } from '../../src/modules/api-keys/api-key.hash';
import { adminUrl, withDatabase } from '../support/pg-server';
import { testDatabaseName } from '../support/test-app';

const cli = join(__dirname, '../../src/keys.cli.js');

/** `npm run keys` against a database of its own: DATABASE_URL's server, else an embedded DATA_DIR. */
async function withDatabaseOfItsOwn(body: (env: Record<string, string>, query: (sql: string, params?: unknown[]) => Promise<any[]>) => Promise<void>) {
  if (process.env.DATABASE_URL) {
    const name = testDatabaseName();
    const admin = adminUrl(process.env.DATABASE_URL);
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = withDatabase(process.env.DATABASE_URL, name);
    try {
      await body({ DATABASE_URL: url }, async (sql, params) => {
        const c = new Client({ connectionString: url });
        await c.connect();
        try {
          return (await c.query(sql, params)).rows;
        } finally {
          await c.end();
        }
      });
    } finally {
      const a = adminUrl(process.env.DATABASE_URL);
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    }
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'tracker-keys-'));
  try {
    await body({ DATA_DIR: dir, DATABASE_URL: '' }, async (sql, params) => {
      // The CLI has exited and released DATA_DIR; read what it wrote the same way.
      const pg = await startEmbeddedPostgres({ dataDir: dir, maxConnections: 2 });
      const c = new Client({ host: pg.host, port: pg.port, user: 'postgres', password: 'postgres', database: 'postgres' });
      await c.connect();
      try {
        return (await c.query(sql, params)).rows;
      } finally {
        await c.end();
        await pg.stop();
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function keys(env: Record<string, string>, ...args: string[]) {
  return spawnSync(process.execPath, [cli, ...args], { env: { ...process.env, ...env, ADMIN_API_KEY: '' }, encoding: 'utf8' });
}

describe('npm run keys', () => {
  it('creates a key that is stored hashed, lists it, and revokes it', async () => {
    await withDatabaseOfItsOwn(async (env, query) => {
      const made = keys(env, 'create', '--name', 'ops on call', '--scope', 'read');
      assert.equal(made.status, 0, made.stderr);
      const [, key] = made.stdout.trim().split('\n');
      assert.match(key, /^tk_[A-Za-z0-9_-]{32}$/);
      const id = /created read key (\S+) \(ops on call\)/.exec(made.stdout)?.[1];
      assert.ok(id, made.stdout);
      const [row] = await query(`SELECT name, scope, key_hash, archived_at FROM api_keys WHERE id = $1`, [id]);
      assert.deepEqual({ ...row }, { name: 'ops on call', scope: 'read', key_hash: hashApiKey(key), archived_at: null });

      const listed = keys(env, 'list');
      assert.equal(listed.status, 0, listed.stderr);
      assert.match(listed.stdout, new RegExp(`^${id}  read  ${key.slice(0, 7)}…  \\S+  -  active  ops on call$`, 'm'));
      assert.ok(!listed.stdout.includes(key), 'the list never shows a whole key');

      const revoked = keys(env, 'revoke', id);
      assert.equal(revoked.status, 0, revoked.stderr);
      assert.notEqual((await query(`SELECT archived_at FROM api_keys WHERE id = $1`, [id]))[0].archived_at, null);
      assert.doesNotMatch(keys(env, 'list').stdout, new RegExp(id));
      assert.match(keys(env, 'list', '--all').stdout, new RegExp(`^${id} .* revoked `, 'm'));
    });
  });

  it('answers a wrong call with one line and exit 2', () => {
    for (const [args, message] of [
      [[], /^keys: usage: npm run keys -- <command>/],
      [['create'], /^keys: create needs --name <name>$/],
      [['create', '--name', 'x', '--scope', 'root'], /^keys: --scope must be admin or read, got 'root'$/],
      [['revoke'], /^keys: revoke needs the id/],
    ] as const) {
      const r = keys({ DATA_DIR: '/nonexistent' }, ...args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr.trim(), message);
    }
  });
});
