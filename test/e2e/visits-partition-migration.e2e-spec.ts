import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DataSource } from 'typeorm';
import { migrations } from '../../migrations';
import { migrate } from '../../migrations/migrate';
import { openDatabase } from '../../src/database/data-source-options';
import { entities } from '../../src/database/entities';
import { adminUrl, withDatabase } from '../support/pg-server';
import { testDatabaseName } from '../support/test-app';

const DAY = 86_400_000;

/** The migration that partitions `visits` keeps the rows, indexes, triggers and report totals of a database in use. */
describe('visits partitioning migration', () => {
  it('converts a populated table', async () => {
    let name: string | null = null;
    const handle = process.env.DATABASE_URL
      ? await (async () => {
          name = testDatabaseName();
          const admin = adminUrl(process.env.DATABASE_URL!);
          await admin.query(`CREATE DATABASE ${name}`);
          await admin.end();
          return openDatabase({ databaseUrl: withDatabase(process.env.DATABASE_URL!, name), dataDir: '', dbPoolSize: 2 });
        })()
      : await openDatabase({ databaseUrl: null, dataDir: '', dbPoolSize: 2 }, { inMemory: true });
    const mine = migrations.findIndex((m) => m.name === 'VisitsPartitioned1764900000000');
    assert.ok(mine > 0);
    const older = new DataSource({ ...handle.options, entities, migrations: migrations.slice(0, mine), migrationsRun: false } as never);
    await older.initialize();
    try {
      await older.runMigrations({ transaction: 'each' });
      const now = Date.now();
      // 3 visits a day over 40 days, and one whose id is not a time.
      await older.query(
        `INSERT INTO visits (id, created_at, campaign_id, cost, country)
         SELECT lpad(to_hex(($1::bigint - d * ${DAY} - k * 1000)), 12, '0') || lpad(to_hex(d * 10 + k), 12, '0'),
                to_timestamp(($1::bigint - d * ${DAY} - k * 1000) / 1000.0), 'c' || k, 0.25, 'US'
           FROM generate_series(0::bigint, 39) d, generate_series(1::bigint, 3) k`,
        [now],
      );
      await older.query(`INSERT INTO visits (id, created_at, campaign_id, cost) VALUES ('legacy-1', now(), 'c1', 1)`);
      await older.query(`CREATE INDEX ix_visits_test_country ON visits (country)`);
      // The queued clicks are folded first (a later migration folds them before it adds to the rollups).
      const snapshot = async (ds: DataSource) => ({
        folded: (await ds.query(`SELECT report_fold_pending() AS n`))[0].n >= 0,
        rows: (
          await ds.query(
            `SELECT md5(string_agg(concat_ws('|', id, created_at, campaign_id, cost, country, query, is_unique), ',' ORDER BY id)) AS h, count(*)::int AS n FROM visits v`,
          )
        )[0],
        rollups: (
          await ds.query(
            `SELECT grain, count(*)::int AS buckets, sum(clicks)::int AS clicks, sum(cost)::text AS cost FROM rollup_clicks_by_entity GROUP BY 1 ORDER BY 1`,
          )
        ).map((r: object) => JSON.stringify(r)),
        indexes: (await ds.query(`SELECT indexname FROM pg_indexes WHERE tablename = 'visits' ORDER BY 1`)).map((r: { indexname: string }) => r.indexname),
        triggers: (await ds.query(`SELECT tgname FROM pg_trigger WHERE tgrelid = 'visits'::regclass AND NOT tgisinternal ORDER BY 1`)).map(
          (r: { tgname: string }) => r.tgname,
        ),
      });
      const before = await snapshot(older);
      assert.equal(before.rows.n, 121);
      await older.destroy();

      const ds = new DataSource({ ...handle.options, entities, migrations, migrationsRun: false } as never);
      await ds.initialize();
      try {
        await migrate(ds);
        const after = await snapshot(ds);
        assert.deepEqual(after, before);
        const [kind] = await ds.query(`SELECT relkind AS k FROM pg_class WHERE oid = 'visits'::regclass`);
        assert.equal(kind.k, 'p');
        // One partition per day that had visits (40 days, today among them) and the days ahead.
        const parts: { p: string; n: number }[] = await ds.query(`SELECT tableoid::regclass::text AS p, count(*)::int AS n FROM visits GROUP BY 1 ORDER BY 1`);
        assert.equal(parts.find((x) => x.p === 'visits_default')?.n, 1);
        assert.ok(parts.filter((x) => x.p.startsWith('visits_p')).length >= 40);
        // The triggers work on the new table: a new visit is counted.
        await ds.query(`INSERT INTO visits (id, created_at, campaign_id, cost) VALUES ($1, now(), 'c9', 2)`, [
          Date.now().toString(16).padStart(12, '0') + 'ffffffffffff',
        ]);
        await ds.query(`DO $$ BEGIN IF to_regprocedure('report_fold_pending()') IS NOT NULL THEN PERFORM report_fold_pending(); END IF; END $$`);
        const [c9] = await ds.query(`SELECT sum(clicks)::int AS n FROM rollup_clicks_by_entity WHERE campaign_id = 'c9' AND grain = 1440`);
        assert.equal(c9.n, 1);
        // And back (with the migrations after it): the revert makes a plain table with the same rows.
        for (let i = mine; i < migrations.length; i++) await ds.undoLastMigration({ transaction: 'each' });
        const [plain] = await ds.query(`SELECT relkind AS k FROM pg_class WHERE oid = 'visits'::regclass`);
        assert.equal(plain.k, 'r');
        assert.equal((await ds.query(`SELECT count(*)::int AS n FROM visits`))[0].n, 122);
      } finally {
        await ds.destroy();
      }
    } finally {
      if (older.isInitialized) await older.destroy();
      await handle.stop();
      if (name) {
        const admin = adminUrl(process.env.DATABASE_URL!);
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      }
    }
  });
});
