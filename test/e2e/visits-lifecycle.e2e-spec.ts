import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { VisitLifecycleJob, VISITS_AHEAD_DAYS } from '../../src/modules/lifecycle/visit-lifecycle.job';
import { insertVisit, makeWorld, type ConversionWorld } from '../support/conversion-world';
import { startTestApp, type TestApp } from '../support/test-app';

const DAY = 86_400_000;

/** A visit id minted at `ms` (mintId never goes back in time within a process, so it cannot). */
function idAt(ms: number): string {
  return ms.toString(16).padStart(12, '0') + randomBytes(6).toString('hex');
}

function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10).replaceAll('-', '');
}

/** The visits (SPEC §9): partitioned by UTC day on the time-ordered id, retention by whole partitions. */
describe('visits lifecycle: partitions and retention', () => {
  let t: TestApp;
  let w: ConversionWorld;
  let job: VisitLifecycleJob;
  const get = (path: string) => t.http().get(path);

  async function partitions(): Promise<string[]> {
    const rows: { name: string }[] = await t.db.query(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'visits'::regclass ORDER BY 1`,
    );
    return rows.map((r) => r.name);
  }

  async function partitionOf(id: string): Promise<string | null> {
    const [row] = await t.db.query(`SELECT tableoid::regclass::text AS p FROM visits WHERE id = $1`, [id]);
    return row?.p ?? null;
  }

  /** Daily click totals as the reports read them (campaign rollup, day grain). */
  async function dailyTotals(): Promise<Record<string, string>> {
    await t.db.query(`DO $$ BEGIN IF to_regprocedure('report_fold_pending()') IS NOT NULL THEN PERFORM report_fold_pending(); END IF; END $$`);
    const rows: { day: string; clicks: string; cost: string }[] = await t.db.query(
      `SELECT to_char(bucket AT TIME ZONE 'UTC', 'YYYYMMDD') AS day, sum(clicks)::text AS clicks, sum(cost)::text AS cost
         FROM rollup_clicks_by_entity WHERE grain = 1440 AND campaign_id = $1 GROUP BY 1 ORDER BY 1`,
      [w.campaignId],
    );
    return Object.fromEntries(rows.map((r) => [r.day, `${r.clicks} clicks, ${r.cost}`]));
  }

  before(async () => {
    t = await startTestApp({ RETENTION_VISITS_DAYS: '5' });
    w = await makeWorld(t);
    job = t.app.get(VisitLifecycleJob);
  });
  after(async () => t?.close());

  it('is partitioned by id range, with the days ahead and a default partition made at start', async () => {
    const [kind] = await t.db.query(`SELECT relkind AS k FROM pg_class WHERE oid = 'visits'::regclass`);
    assert.equal(kind.k, 'p');
    const names = await partitions();
    assert.ok(names.includes('visits_default'));
    for (let d = -1; d <= VISITS_AHEAD_DAYS; d++) assert.ok(names.includes(`visits_p${utcDay(Date.now() + d * DAY)}`), `day ${d}`);
    // The primary key is still the id alone: ON CONFLICT (id) works on the parent.
    const id = idAt(Date.now());
    await insertVisit(t, w, id);
    await t.db.query(`INSERT INTO visits (id, created_at, campaign_id) VALUES ($1, now(), 'x') ON CONFLICT (id) DO NOTHING`, [id]);
    assert.equal((await t.db.query(`SELECT count(*)::int AS n FROM visits WHERE id = $1`, [id]))[0].n, 1);
  });

  it('puts visits on either side of a UTC midnight into their own days, whatever the zone', async () => {
    const midnight = Date.UTC(2026, 0, 1) + Math.floor((Date.now() - Date.UTC(2026, 0, 1)) / DAY) * DAY;
    const before = idAt(midnight - 1);
    const at = idAt(midnight);
    // Kathmandu's midnight (UTC+05:45) is 18:15 UTC: inside the UTC day, not a boundary.
    const kathmandu = idAt(midnight - (5 * 60 + 45) * 60_000);
    for (const id of [before, at, kathmandu]) await insertVisit(t, w, id);
    assert.equal(await partitionOf(before), `visits_p${utcDay(midnight - 1)}`);
    assert.equal(await partitionOf(at), `visits_p${utcDay(midnight)}`);
    assert.equal(await partitionOf(kathmandu), `visits_p${utcDay(midnight - 1)}`);
    // Lookups by id read one partition.
    const plan: { 'QUERY PLAN': string }[] = await t.db.query(`EXPLAIN SELECT * FROM visits WHERE id = '${at}'`);
    const text = plan.map((p) => p['QUERY PLAN']).join('\n');
    assert.match(text, new RegExp(`visits_p${utcDay(midnight)}`));
    assert.doesNotMatch(text, new RegExp(`visits_p${utcDay(midnight - 1)}|visits_default`));
  });

  it('keeps a visit beyond the days ahead in the default partition until its day is made', async () => {
    const later = Date.now() + (VISITS_AHEAD_DAYS + 20) * DAY;
    const id = idAt(later);
    const totals = await dailyTotals();
    await insertVisit(t, w, id);
    assert.equal(await partitionOf(id), 'visits_default');
    const withIt = await dailyTotals();
    assert.equal(withIt[utcDay(later)], '1 clicks, 0.05');
    // Run on that day: the day is made and the visit moved into it, counted once.
    const r = await job.run(new Date(later));
    assert.ok(r!.created.includes(`visits_p${utcDay(later)}`), JSON.stringify(r));
    assert.equal(await partitionOf(id), `visits_p${utcDay(later)}`);
    assert.deepEqual(await dailyTotals(), withIt);
    assert.notDeepEqual(withIt, totals);
    // A non-time id stays in the default partition whatever runs.
    await t.db.query(`INSERT INTO visits (id, created_at, campaign_id) VALUES ('not-a-time-id', now(), $1)`, [w.campaignId]);
    await job.run();
    assert.equal(await partitionOf('not-a-time-id'), 'visits_default');
  });

  it('drops the partitions older than RETENTION_VISITS_DAYS only, and the report totals stay', async () => {
    const now = Date.now();
    const ids = new Map<number, string>();
    // Days from before the tracker ran with retention: their partitions as an older run made them.
    for (const d of [9, 8, 6]) await t.db.query(`SELECT visits_partition_create($1::date)`, [new Date(now - d * DAY).toISOString().slice(0, 10)]);
    for (const d of [9, 8, 7, 6, 4, 1, 0]) {
      const id = idAt(now - d * DAY);
      ids.set(d, id);
      await insertVisit(t, w, id);
    }
    for (const d of [9, 8, 6]) assert.equal(await partitionOf(ids.get(d)!), `visits_p${utcDay(now - d * DAY)}`);
    // Day -7 has no partition (a spool replay, say): it sits in the default partition.
    assert.equal(await partitionOf(ids.get(7)!), 'visits_default');
    // A conversion on the click of 8 days ago, before it is dropped.
    const conv = await get(`/postback?clickid=${ids.get(8)}&txid=OLD-1`);
    assert.equal(conv.body.status, 'accepted');
    const totals = await dailyTotals();
    const before = await partitions();

    const r = await job.run(new Date(now));
    // Six days back and more are past the 5-day limit; the partition of 6 days ago ends before it.
    const cutoff = now - 5 * DAY;
    const expected = before.filter(
      (p) => /^visits_p\d{8}$/.test(p) && Date.parse(`${p.slice(8, 12)}-${p.slice(12, 14)}-${p.slice(14)}T00:00:00Z`) + DAY <= cutoff,
    );
    assert.deepEqual(r!.dropped.sort(), expected.sort());
    for (const d of [9, 8, 6]) assert.ok(r!.dropped.includes(`visits_p${utcDay(now - d * DAY)}`), `day -${d}`);
    // Day -4 was in the default partition too, and is kept: it got its partition in the same run.
    assert.deepEqual(r!.created, [`visits_p${utcDay(now - 4 * DAY)}`]);
    assert.deepEqual(await partitions(), [...before, ...r!.created].filter((p) => !expected.includes(p)).sort());
    for (const d of [9, 8, 7, 6]) assert.equal(await partitionOf(ids.get(d)!), null, `day -${d} gone`);
    assert.equal(r!.defaultDeleted, 1);
    for (const d of [4, 1, 0]) assert.notEqual(await partitionOf(ids.get(d)!), null, `day -${d} kept`);
    // The rollups kept every day's totals, dropped days included.
    assert.deepEqual(await dailyTotals(), totals);
    // Nothing left to do: a second run drops nothing.
    assert.deepEqual((await job.run(new Date(now)))!.dropped, []);

    // The conversion stays; a late postback for a dropped click is kept unattributed.
    const c = await t.http().get(`/api/v1/conversions/${conv.body.conversionId}`).set(t.auth);
    assert.equal(c.status, 200);
    const late = await get(`/postback?clickid=${ids.get(8)}&txid=LATE-1`);
    assert.equal(late.body.status, 'unattributed');
  });

  it('with retention 0 keeps everything', async () => {
    const t0 = await startTestApp({ RETENTION_VISITS_DAYS: '0' });
    try {
      const w0 = await makeWorld(t0);
      const id = idAt(Date.now() - 400 * DAY);
      await insertVisit(t0, w0, id);
      const r = await t0.app.get(VisitLifecycleJob).run();
      assert.deepEqual(r!.dropped, []);
      assert.equal(r!.defaultDeleted, 0);
      const [row] = await t0.db.query(`SELECT tableoid::regclass::text AS p FROM visits WHERE id = $1`, [id]);
      assert.equal(row.p, `visits_p${utcDay(Date.now() - 400 * DAY)}`);
    } finally {
      await t0.close();
    }
  });
});
