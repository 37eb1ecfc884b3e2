import type { DataSource, EntityManager } from 'typeorm';

/**
 * Runs `work` in one transaction holding the transaction-scoped advisory lock `key`, or answers
 * `null` at once when another process holds it: a periodic job (retention, partition upkeep) runs
 * in one process at a time however many share the database. `lockTimeoutMs` bounds how long any
 * lock the work needs may be waited for, so DDL queued behind a long query cannot stall the
 * writers queued behind it; the job fails and tries again on its next turn.
 *
 * Lock keys in use: 7361 (migrations), 7140001 (rollup fold), 7362 (visits lifecycle).
 */
export async function runExclusive<T>(db: DataSource, key: number, lockTimeoutMs: number, work: (m: EntityManager) => Promise<T>): Promise<T | null> {
  return db.transaction(async (m) => {
    const [got]: { ok: boolean }[] = await m.query(`SELECT pg_try_advisory_xact_lock($1) AS ok`, [key]);
    if (!got.ok) return null;
    await m.query(`SELECT set_config('lock_timeout', $1, true)`, [`${lockTimeoutMs}ms`]);
    return work(m);
  });
}
