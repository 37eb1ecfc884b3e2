/**
 * Prepares one migrated database that every test file copies, and removes it afterwards.
 *   embedded: a PGlite dump in the temp folder (TEST_PGLITE_TEMPLATE)
 *   DATABASE_URL: a template database on that server (TEST_TEMPLATE_DB)
 * Run by scripts/test.mjs as `node global-setup.js setup|teardown`; prints the env to pass on.
 */
import 'reflect-metadata';
import { writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { DataSource } from 'typeorm';
import { entities } from '../../src/database/entities';
import { migrations } from '../../migrations';
import { migrate as migrateDatabase } from '../../migrations/migrate';
import { adminUrl, withDatabase } from './pg-server';

async function migrate(options: ConstructorParameters<typeof DataSource>[0]): Promise<void> {
  const ds = new DataSource({ ...options, entities, migrations, migrationsRun: false } as never);
  await ds.initialize();
  await migrateDatabase(ds);
  await ds.destroy();
}

async function setup(): Promise<Record<string, string>> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const run = `r${process.pid}`;
    const name = `tracker_test_${run}_tpl`;
    const admin = adminUrl(url);
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    await migrate({ type: 'postgres', url: withDatabase(url, name) });
    return { TEST_TEMPLATE_DB: name, TEST_RUN_ID: run };
  }
  const db = await PGlite.create();
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 4 });
  await server.start();
  const port = Number(server.getServerConn().split(':').pop());
  await migrate({ type: 'postgres', host: '127.0.0.1', port, username: 'postgres', password: 'postgres', database: 'postgres' });
  await server.stop();
  const dump = await db.dumpDataDir('none');
  await db.close();
  const file = join(tmpdir(), `tracker-test-template-${process.pid}.tar`);
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  return { TEST_PGLITE_TEMPLATE: file };
}

async function teardown(): Promise<void> {
  if (process.env.TEST_PGLITE_TEMPLATE) rmSync(process.env.TEST_PGLITE_TEMPLATE, { force: true });
  if (process.env.DATABASE_URL && process.env.TEST_TEMPLATE_DB) {
    const admin = adminUrl(process.env.DATABASE_URL);
    // Only this run's databases: another run may be using the same server at the same time.
    const run = process.env.TEST_RUN_ID ?? 'none';
    const leftovers = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`tracker_test_${run}_%`]);
    for (const { datname } of leftovers.rows) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    await admin.end();
  }
}

const mode = process.argv[2];
(mode === 'setup' ? setup().then((env) => process.stdout.write(JSON.stringify(env))) : teardown()).catch((e) => {
  process.stderr.write(`test ${mode} failed: ${e instanceof Error ? e.stack : e}\n`);
  process.exit(1);
});
