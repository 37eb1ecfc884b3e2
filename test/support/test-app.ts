import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.factory';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { adminUrl, withDatabase } from './pg-server';

/** A database name this test run owns (the run's teardown drops whatever is left of them). */
export function testDatabaseName(): string {
  return `tracker_test_${process.env.TEST_RUN_ID ?? 'adhoc'}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  /** The admin key every request may use: `api().get(...).set(auth)`. */
  adminKey: string;
  auth: { authorization: string };
  /** The base URL it listens on (127.0.0.1, random port). */
  url: string;
  db: DataSource;
  http: () => ReturnType<typeof request>;
  close(): Promise<void>;
}

/**
 * A whole tracker on a database of its own: a copy of the migrated template, on PGlite in
 * memory by default, or a fresh database on DATABASE_URL's server (dropped on close).
 */
export async function startTestApp(env: Record<string, string> = {}, opts: { databaseVia?: (url: string) => string } = {}): Promise<TestApp> {
  const adminKey = 'test-admin-' + randomBytes(12).toString('hex');
  let databaseUrl: string | undefined;
  let dropDb: (() => Promise<void>) | null = null;
  if (process.env.DATABASE_URL) {
    const name = testDatabaseName();
    const template = process.env.TEST_TEMPLATE_DB;
    if (!template) throw new Error('TEST_TEMPLATE_DB is not set: run the tests with `npm test`');
    const admin = adminUrl(process.env.DATABASE_URL);
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    await admin.end();
    databaseUrl = withDatabase(process.env.DATABASE_URL, name);
    dropDb = async () => {
      const a = adminUrl(process.env.DATABASE_URL!);
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'tracker-test-data-'));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    ADMIN_API_KEY: adminKey,
    LOG_LEVEL: 'warn',
    TRUST_PROXY: 'loopback',
    OUTBOUND_ALLOW_PRIVATE: 'true',
    ...(databaseUrl ? { DATABASE_URL: opts.databaseVia ? opts.databaseVia(databaseUrl) : databaseUrl } : {}),
    // Each app's own data folder (the spool of a database server lives there).
    DATA_DIR: dataDir,
    ...env,
  });
  const template = process.env.TEST_PGLITE_TEMPLATE;
  const seed = databaseUrl ? undefined : { inMemory: true, loadDataDir: template ? new Blob([readFileSync(template)]) : undefined };
  const { app } = await createApp(config, seed);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  // BASE_URL was unknown before the port was: give the running config the real one.
  if (!env.BASE_URL) config.baseUrl = url;
  return {
    app,
    config,
    adminKey,
    auth: { authorization: `Bearer ${adminKey}` },
    url,
    db: app.get(DataSource),
    http: () => request(app.getHttpServer()),
    async close() {
      await app.close();
      await dropDb?.();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
