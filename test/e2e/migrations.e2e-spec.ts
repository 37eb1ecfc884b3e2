import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DataSource } from 'typeorm';
import { entities } from '../../src/database/entities';
import { migrations } from '../../migrations';
import { applyFunctions, functionNames } from '../../migrations/functions';
import { migrate } from '../../migrations/migrate';
import { openDatabase } from '../../src/database/data-source-options';
import { adminUrl, withDatabase } from '../support/pg-server';
import { testDatabaseName } from '../support/test-app';

/** From an empty database: every migration applies, then reverts, then applies again. */
describe('migrations', () => {
  it('run from empty, revert and re-apply', async () => {
    let name: string | null = null;
    const handle = process.env.DATABASE_URL
      ? await (async () => {
          name = testDatabaseName();
          const admin = adminUrl(process.env.DATABASE_URL!);
          await admin.query(`DROP DATABASE IF EXISTS ${name}`);
          await admin.query(`CREATE DATABASE ${name}`);
          await admin.end();
          return openDatabase({ databaseUrl: withDatabase(process.env.DATABASE_URL!, name), dataDir: '', dbPoolSize: 2 });
        })()
      : await openDatabase({ databaseUrl: null, dataDir: '', dbPoolSize: 2 }, { inMemory: true });
    const ds = new DataSource({ ...handle.options, entities, migrations, migrationsRun: false } as never);
    await ds.initialize();
    try {
      const applied = await migrate(ds);
      assert.equal(applied.migrations.length, migrations.length);
      // The migrations applied every function file themselves; nothing was left for afterwards.
      assert.deepEqual(applied.functions, []);
      const fns = (await ds.query(`SELECT proname, obj_description(oid, 'pg_proc') AS hash FROM pg_proc WHERE proname = ANY ($1) ORDER BY proname`, [
        functionNames(),
      ])) as { proname: string; hash: string }[];
      assert.deepEqual(
        fns.map((f) => f.proname),
        functionNames(),
      );
      for (const f of fns) assert.match(f.hash, /^sha256:[0-9a-f]{64}$/);
      // A function made from other text (an older version) is replaced, one that is current is not.
      await ds.query(`COMMENT ON FUNCTION click_insert_visits(json) IS 'sha256:old'`);
      assert.deepEqual(await applyFunctions(ds), ['click_insert_visits']);
      assert.deepEqual(await applyFunctions(ds), []);
      const tables = (await ds.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`)).map((r: { tablename: string }) => r.tablename);
      for (const t of ['visits', 'conversions', 'postbacks', 'outbox_messages', 'campaigns', 'api_keys']) assert.ok(tables.includes(t), t);
      const types = await ds.query(`SELECT id, code FROM conversion_types ORDER BY id`);
      assert.deepEqual(types, [
        { id: '1', code: 'cps' },
        { id: '2', code: 'cpl' },
        { id: '3', code: 'cpi' },
      ]);
      for (let i = 0; i < migrations.length; i++) await ds.undoLastMigration({ transaction: 'each' });
      assert.equal((await ds.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tablename = 'visits'`))[0].n, 0);
      assert.equal((await migrate(ds)).migrations.length, migrations.length);
      assert.equal((await ds.query(`SELECT count(*)::int AS n FROM pg_proc WHERE proname = ANY ($1)`, [functionNames()]))[0].n, functionNames().length);
    } finally {
      await ds.destroy();
      await handle.stop();
      if (name) {
        const admin = adminUrl(process.env.DATABASE_URL!);
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      }
    }
  });
});
