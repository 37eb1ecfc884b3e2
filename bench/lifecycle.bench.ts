// Data lifecycle at scale (issue 15; not a test: it prints):  npm run bench:lifecycle   (builds first)
// Seeds BENCH_LIFECYCLE_CLICKS (20,000,000) visits and one conversion per 50 over 90 days into a
// database of its own (bench/reports.seed.ts, partitions per day), then measures on it:
//   - size per million visits (visit partitions with their indexes; rollups; conversions and
//     their facts) and the projection to a billion;
//   - the click path: a 50-visit click_insert_visits batch, rolled back (median of 9);
//   - reports over the last 30 days, one tracker process (median of 3 after a warm-up);
//   - retention: visits_partition_maintain keeping 60 days drops the older partitions; the time it
//     takes, and the report totals of a dropped day before and after (the rollups keep them).
// The database is dropped at the end (it is large). Environment: DATABASE_URL (admin connection).
import { Client } from 'pg';
import { startTracker } from './lib/tracker';
import { ensureSeeded, shapeOf } from './reports.seed';

const CLICKS = Number(process.env.BENCH_LIFECYCLE_CLICKS ?? 20_000_000);
const KEEP_DAYS = 60;
const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const database = `tracker_bench_lifecycle_${CLICKS}`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toLocaleString('en', { maximumFractionDigits: 0 })} MB`;

async function main(): Promise<void> {
  const log = (line: string) => console.log(`  ${line}`);
  const seed = await ensureSeeded(serverUrl, database, shapeOf(CLICKS), log);
  console.log(`data set: ${CLICKS.toLocaleString('en')} visits over 90 days${seed.seededNow ? `, seeded in ${Math.round(seed.seconds)} s` : ' (reused)'}`);
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  const db = new Client({ connectionString: url.toString() });
  await db.connect();
  try {
    const size = async (sql: string) => Number((await db.query(sql)).rows[0].n);
    const visits = await size(`SELECT sum(pg_total_relation_size(i.inhrelid)) AS n FROM pg_inherits i WHERE i.inhparent = 'visits'::regclass`);
    const rollups = await size(
      `SELECT sum(pg_total_relation_size(c.oid)) AS n FROM pg_class c WHERE c.relname IN ('rollup_clicks_by_entity', 'rollup_clicks_by_audience') `,
    );
    const conversions = await size(`SELECT pg_total_relation_size('conversions') + pg_total_relation_size('conversion_facts') AS n`);
    const perMillion = (b: number) => (b / CLICKS) * 1e6;
    console.log('\nsize (tables with their indexes and TOAST):');
    for (const [what, b] of [
      ['visits (daily partitions)', visits],
      ['click rollups (both families)', rollups],
      ['conversions + facts (1 per 50 visits)', conversions],
    ] as const) {
      console.log(
        `  ${what.padEnd(40)} ${mb(b).padStart(10)}   ${mb(perMillion(b)).padStart(8)} per million visits   ${((perMillion(b) * 1000) / 1024 ** 4).toFixed(2)} TB per billion`,
      );
    }
    console.log(
      `  ${'all'.padEnd(40)} ${mb(visits + rollups + conversions).padStart(10)}   ${mb(perMillion(visits + rollups + conversions)).padStart(8)} per million visits   ${((perMillion(visits + rollups + conversions) * 1000) / 1024 ** 4).toFixed(2)} TB per billion (rollups grow with days and values, not visits: an upper bound)`,
    );

    // The click path at this size: one 50-visit batch, rolled back.
    const [sample] = (await db.query(`SELECT campaign_id, offer_id FROM visits ORDER BY id DESC LIMIT 1`)).rows;
    const batchMs: number[] = [];
    for (let i = 0; i < 9; i++) {
      const now = Date.now();
      const rows = Array.from({ length: 50 }, (_, k) => ({
        id: now.toString(16).padStart(12, '0') + (0xf00000000000 + i * 100 + k).toString(16).padStart(12, '0'),
        created_at: new Date(now).toISOString(),
        campaign_id: sample.campaign_id,
        offer_id: sample.offer_id,
        query: {},
        remaped: {},
        cost: '0.01',
        cost_currency: 'USD',
        ip: `10.0.${i}.${k}`,
        ua: 'Mozilla/5.0',
        mobile: false,
        bot: false,
        method: 'GET',
      }));
      await db.query('BEGIN');
      const t = performance.now();
      await db.query(`SELECT count(*) FROM click_insert_visits($1::json)`, [JSON.stringify(rows)]);
      batchMs.push(performance.now() - t);
      await db.query('ROLLBACK');
    }
    console.log(`\nclick path: a 50-visit click_insert_visits batch takes ${median(batchMs).toFixed(2)} ms (median of 9, rolled back)`);

    const tracker = await startTracker(url.toString());
    const to = seed.end;
    const from = new Date(to.getTime() - 30 * 86_400_000);
    const report = async (q: string) => {
      const r = await fetch(`${tracker.url}/api/v1/reports?from=${from.toISOString()}&to=${to.toISOString()}&${q}`, {
        headers: { authorization: `Bearer ${tracker.adminKey}` },
      });
      if (r.status !== 200) throw new Error(`${q}: ${r.status} ${await r.text()}`);
      return (await r.json()) as { rows: Record<string, unknown>[] };
    };
    try {
      console.log('\nreports over the last 30 days (median of 3 after a warm-up, ms):');
      for (const q of ['groupBy=campaign', 'groupBy=country', 'groupBy=day', 'groupBy=offer,hour', 'groupBy=city', 'groupBy=source']) {
        await report(q);
        const ms: number[] = [];
        for (let i = 0; i < 3; i++) {
          const t = performance.now();
          await report(q);
          ms.push(performance.now() - t);
        }
        console.log(`  ${q.padEnd(24)} ${median(ms).toFixed(0).padStart(6)}`);
      }

      // Retention: keep 60 days; the totals of a dropped day stay.
      const day = new Date(to.getTime() - 75 * 86_400_000);
      const dayStart = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate()));
      const dayQuery = async () => {
        const r = await fetch(
          `${tracker.url}/api/v1/reports?from=${dayStart.toISOString()}&to=${new Date(dayStart.getTime() + 86_400_000).toISOString()}&groupBy=campaign`,
          { headers: { authorization: `Bearer ${tracker.adminKey}` } },
        );
        const body = (await r.json()) as { rows: { clicks: number; revenue: number }[] };
        return body.rows.reduce((a, x) => [a[0] + x.clicks, a[1] + x.revenue], [0, 0]).map((n) => Math.round(n * 100) / 100);
      };
      const before = await dayQuery();
      const partitions = Number((await db.query(`SELECT count(*) AS n FROM pg_inherits WHERE inhparent = 'visits'::regclass`)).rows[0].n);
      const t = performance.now();
      const [result] = (await db.query(`SELECT visits_partition_maintain(7, $1, $2) AS r`, [KEEP_DAYS, to])).rows;
      const dropMs = performance.now() - t;
      const after = await dayQuery();
      const left = Number((await db.query(`SELECT count(*) AS n FROM visits`)).rows[0].n);
      console.log(
        `\nretention (keep ${KEEP_DAYS} days): ${(result.r.dropped as string[]).length} of ${partitions} partitions dropped in ${(dropMs / 1000).toFixed(1)} s; ` +
          `${left.toLocaleString('en')} visits left; the report of ${dayStart.toISOString().slice(0, 10)} (dropped): clicks and revenue ${JSON.stringify(before)} before, ${JSON.stringify(after)} after` +
          (JSON.stringify(before) === JSON.stringify(after) ? ' (unchanged)' : ' (CHANGED)'),
      );
    } finally {
      await tracker.stop();
    }
  } finally {
    await db.end();
    const admin = new Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
