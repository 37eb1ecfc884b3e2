import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FOLD_CHUNK } from '../../migrations/1797600000000-fold-in-chunks';
import { foldPendingOnceSql } from '../../migrations/1797000000000-geo-rollups';
import { ALL_FAMILIES } from '../../migrations/1797300000000-route-rollups';
import { SLOT_VALUE_FOLD } from '../../migrations/1797500000000-slot-value-rollups';
import { RollupFolder } from '../../src/modules/clicks/rollup.folder';
import { ROLLUP_TABLES } from '../support/rollup-tables';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The fold of queued clicks into the report rollups (`report_fold_pending()`, migrations
 * 1797100000000 and 1797200000000) reads the queued visits through the primary key, whatever the
 * day's partition holds: its cost follows the clicks folded, not the size of the day.
 */
describe('report_fold_pending', () => {
  let t: TestApp;

  before(async () => {
    t = await startTestApp();
    // The app's own fold runs every second: stopped, so that what this test queues is folded by
    // the call it measures (a background fold in between left it nothing to fold: 0 !== 3000).
    t.app.get(RollupFolder).onApplicationShutdown();
  });
  after(() => t.close());

  /** `n` visits of one campaign written in one statement (queued by the insert trigger), ids from `first`. */
  async function writeVisits(first: number, n: number): Promise<string> {
    const [row] = await t.db.query(
      `INSERT INTO visits (id, created_at, campaign_id, offer_id, cost, cost_currency, country, os_family, browser, mobile, bot, is_unique, remaped)
       SELECT lpad(to_hex((extract(epoch FROM x.at) * 1000)::bigint), 12, '0') || lpad(to_hex(i), 12, '0'), x.at, 'fold-campaign', 'fold-offer',
              0.01, 'USD', CASE WHEN i % 2 = 0 THEN 'US' ELSE 'DE' END, 'Android', 'Chrome', true, false, i % 3 = 0, '{}'
         FROM generate_series($1::int, $1::int + $2::int - 1) AS i, LATERAL (SELECT now() - interval '1 minute' + i * interval '1 millisecond' AS at) x
       RETURNING tableoid::regclass::text AS partition`,
      [first, n],
    );
    return row.partition as string;
  }

  it('folds a second of clicks without scanning the day: index reads only, every click counted', async () => {
    // A day's partition that already holds visits (folded), then a second's worth queued.
    const partition = await writeVisits(1, 20_000);
    await t.db.query('SELECT report_fold_pending()');
    await writeVisits(20_001, 3_000);
    const runner = t.db.createQueryRunner();
    let scans: { seq_scan: string; idx_scan: string | null };
    let folded: number;
    try {
      await runner.startTransaction();
      [{ n: folded }] = await runner.query('SELECT report_fold_pending() AS n');
      // This transaction's own table statistics: the scans the fold made of the partition.
      [scans] = await runner.query(`SELECT seq_scan, idx_scan FROM pg_stat_xact_user_tables WHERE relid = $1::regclass`, [partition]);
      await runner.commitTransaction();
    } finally {
      await runner.release();
    }
    assert.equal(folded, 3_000);
    assert.equal(Number(scans.seq_scan), 0, 'the fold read the whole partition');
    assert.ok(Number(scans.idx_scan) > 0);
    const [counts] = await t.db.query(
      `SELECT (SELECT sum(clicks) FROM rollup_clicks_by_entity WHERE grain = 15 AND campaign_id = 'fold-campaign')::int AS entity,
              (SELECT sum(clicks) FROM rollup_clicks_by_audience WHERE grain = 60 AND country = 'US')::int AS us,
              (SELECT sum(unique_clicks) FROM rollup_clicks_by_geo WHERE grain = 1440)::int AS uniques`,
    );
    assert.deepEqual(counts, { entity: 23_000, us: 11_500, uniques: 7_666 });
  });

  it('folds a queue larger than a slice (migration 1797600000000): every visit once, the queue emptied', async () => {
    await t.db.query('TRUNCATE visits');
    // One statement larger than a slice, then small ones: the slices cut across queued batches.
    await writeVisits(1, FOLD_CHUNK + 701);
    for (let first = FOLD_CHUNK + 702; first < 2 * FOLD_CHUNK + 900; first += 333) await writeVisits(first, 333);
    const [{ written, de }] = await t.db.query(`SELECT count(*)::int AS written, (count(*) FILTER (WHERE country = 'DE'))::int AS de FROM visits`);
    assert.ok(written > 2 * FOLD_CHUNK, `${written} visits queued: more than two slices`);
    const [{ n: folded }] = await t.db.query('SELECT report_fold_pending() AS n');
    assert.equal(folded, written);
    const [counts] = await t.db.query(
      `SELECT (SELECT sum(clicks) FROM rollup_clicks_by_entity WHERE grain = 15)::int AS entity,
              (SELECT sum(clicks) FROM rollup_clicks_by_audience WHERE grain = 1440)::int AS audience,
              (SELECT sum(clicks) FROM rollup_clicks_by_geo WHERE grain = 60 AND country = 'DE')::int AS de,
              (SELECT count(*) FROM rollup_pending)::int AS queued`,
    );
    assert.deepEqual(counts, { entity: written, audience: written, de, queued: 0 });
  });

  it('folds in two steps (migration 1797700000000) exactly what one grouping per grain folded', async () => {
    await t.db.query('TRUNCATE visits');
    // 3,000 visits over four and a half days, every 131 s: quarter hours, hours and days each hold
    // several, with every attribute a family keys or sums varying (nulls too), and two slots.
    await t.db.query(
      `INSERT INTO visits (id, created_at, campaign_id, traffic_source_id, offer_id, offer_link_id, landing_page_id, lp_clicked_at,
                           cost, cost_currency, country, region, city, os_family, browser, device_family, mobile, bot, is_unique,
                           rule_index, rule_name, datacenter, remaped)
       SELECT lpad(to_hex((extract(epoch FROM x.at) * 1000)::bigint), 12, '0') || lpad(to_hex(i), 12, '0'), x.at,
              'camp-' || i % 3, CASE WHEN i % 4 > 0 THEN 'ts-' || i % 4 END, 'offer-' || i % 5, CASE WHEN i % 6 = 0 THEN 'link-1' END,
              CASE WHEN i % 4 = 0 THEN 'lp-1' END, CASE WHEN i % 8 = 0 THEN x.at + interval '1 minute' END,
              (i % 10) * 0.013, CASE WHEN i % 9 = 0 THEN 'EUR' ELSE 'USD' END, (ARRAY['US', 'DE', 'NP', NULL])[i % 4 + 1],
              'R' || i % 7, 'City ' || i % 11, (ARRAY['Android', 'iOS', 'Windows'])[i % 3 + 1], (ARRAY['Chrome', 'Safari'])[i % 2 + 1],
              CASE WHEN i % 5 = 0 THEN 'iPhone' END, i % 2 = 0, i % 7 = 0, i % 3 = 0,
              CASE WHEN i % 3 > 0 THEN i % 3 END, CASE WHEN i % 3 > 0 THEN 'rule ' || i % 3 END, CASE WHEN i % 11 = 0 THEN 'AWS' END,
              jsonb_build_object('event_id', 'e' || i, 'zone', 'z' || i % 13, 'source', 's' || i % 5)
         FROM generate_series(1, 3000) AS i, LATERAL (SELECT timestamptz '2025-03-01 00:00:00+00' + i * interval '131 seconds' AS at) x`,
    );
    /** Folds the queue in a transaction that is rolled back, after `setup`; answers every rollup row as text. */
    async function foldRolledBack(setup?: string): Promise<string[][]> {
      const runner = t.db.createQueryRunner();
      try {
        await runner.startTransaction();
        if (setup) await runner.query(setup);
        const [{ n }] = await runner.query('SELECT report_fold_pending() AS n');
        assert.equal(n, 3000);
        const rows: string[][] = [];
        for (const table of ROLLUP_TABLES) rows.push((await runner.query(`SELECT x::text AS r FROM ${table} x ORDER BY 1`)).map((r: { r: string }) => r.r));
        await runner.rollbackTransaction();
        return rows;
      } finally {
        await runner.release();
      }
    }
    const staged = await foldRolledBack();
    const before = await foldRolledBack(foldPendingOnceSql(ALL_FAMILIES, 'left', SLOT_VALUE_FOLD, FOLD_CHUNK));
    assert.equal(ROLLUP_TABLES[0], 'rollup_clicks_by_entity');
    assert.ok(staged[0].length > 100, `${staged[0].length} entity rows: quarter hours, hours and days`);
    assert.ok(staged[ROLLUP_TABLES.indexOf('rollup_clicks_by_slot')].length > 10, 'slot rows');
    ROLLUP_TABLES.forEach((table, i) => assert.deepEqual(staged[i], before[i], table));
    // Folded for good, so the queue is empty for the next test.
    assert.equal((await t.db.query('SELECT report_fold_pending() AS n'))[0].n, 3000);
  });

  /** A sample's value on /metrics (`name{labels} value`), or undefined when it is not there. */
  async function sample(name: string, labels = ''): Promise<number | undefined> {
    const text = (await t.http().get('/metrics')).text;
    const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
    return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
  }

  it('says on /metrics how many visits wait, how many were folded, and how long each fold took, by who asked', async () => {
    const reportFolds = (await sample('tracker_rollup_fold_seconds_count', '{reason="report"}')) ?? 0;
    const timerFolds = (await sample('tracker_rollup_fold_seconds_count', '{reason="timer"}')) ?? 0;
    const folded = (await sample('tracker_rollup_folded_visits_total')) ?? 0;
    await writeVisits(900_001, 40);
    assert.equal(await sample('tracker_rollup_pending_visits'), 40);

    const report = await t.http().get('/api/v1/reports?groupBy=campaign').set(t.auth);
    assert.equal(report.status, 200);
    // Exact: the 40 visits just written are counted (the report folded them before it read).
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM visits WHERE campaign_id = 'fold-campaign'`);
    assert.equal(report.body.rows.find((r: { campaign: { id: string } }) => r.campaign.id === 'fold-campaign')?.clicks, n);
    assert.equal(await sample('tracker_rollup_pending_visits'), 0);
    assert.equal(await sample('tracker_rollup_fold_seconds_count', '{reason="report"}'), reportFolds + 1);
    assert.equal(await sample('tracker_rollup_folded_visits_total'), folded + 40);

    await writeVisits(900_101, 5);
    assert.equal(await t.app.get(RollupFolder).fold(), 5);
    assert.equal(await sample('tracker_rollup_fold_seconds_count', '{reason="timer"}'), timerFolds + 1);
    assert.equal(await sample('tracker_rollup_folded_visits_total'), folded + 45);
    assert.equal(await sample('tracker_rollup_pending_visits'), 0);
  });
});
