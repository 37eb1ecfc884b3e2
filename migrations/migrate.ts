import type { DataSource } from 'typeorm';
import { applyFunctions } from './functions';

/**
 * Brings a database up to date: the versioned migrations in order, then the function files
 * (functions.ts). The one way the app, the migration CLI and the tests migrate.
 */
export async function migrate(ds: DataSource): Promise<{ migrations: string[]; functions: string[] }> {
  const ran = await ds.runMigrations({ transaction: 'each' });
  const functions = await ds.transaction(async (m) => {
    // Two processes starting on one database at once take turns.
    await m.query(`SELECT pg_advisory_xact_lock(7361)`);
    return applyFunctions(m);
  });
  return { migrations: ran.map((m) => m.name), functions };
}
