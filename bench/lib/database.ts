import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export interface BenchDatabase {
  url: string;
  /** Runs one query on the bench database (a short-lived connection). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Runs one statement on the admin connection (a short-lived connection). */
export async function onAdmin(adminUrl: string, sql: string): Promise<void> {
  const c = new Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** A fresh, empty database on the admin connection's server; the tracker migrates it when it starts. */
export async function createBenchDatabase(adminUrl: string): Promise<BenchDatabase> {
  const name = `tracker_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
  await onAdmin(adminUrl, `CREATE DATABASE ${name}`);
  const url = withDatabase(adminUrl, name);
  return {
    url,
    async query<T>(sql: string, params: unknown[] = []) {
      const c = new Client({ connectionString: url });
      await c.connect();
      try {
        return (await c.query(sql, params)).rows as T[];
      } finally {
        await c.end();
      }
    },
    drop: () => onAdmin(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/** The pids of the backends serving a bench database (its servers' connections), the asking one left out: whose CPU a bench counts. */
export function backendsOf(db: BenchDatabase): () => Promise<number[]> {
  return async () =>
    (await db.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`)).map((r) => r.pid);
}
