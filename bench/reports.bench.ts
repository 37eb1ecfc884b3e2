import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { printTable } from './lib/report';
import type { BenchOptions, FigureTable, QueryFigures, Scenario, ScenarioResult } from './lib/scenario';
import { startTracker } from './lib/tracker';
import { onAdmin } from './lib/database';
import { DEFAULT_SHAPE, ensureSeeded, shapeOf } from './reports.seed';

/**
 * GET /api/v1/reports over 10 M clicks and 200 k conversions (50 campaigns, 90 days; another
 * count of clicks with BENCH_REPORTS_CLICKS), through the HTTP API of a tracker process. The data
 * set is seeded once into its own database (BENCH_REPORTS_DB, default tracker_bench_reports, with
 * the count appended when it is not 10 M) and reused while the schema stays the same.
 * Then: the click-path cost of keeping the rollups (a visit batch with and without the triggers).
 */
/**
 * Issue 14: every report under 500 ms over 30 days of 10 M clicks, and the three that were
 * already served by rollups in under 200 ms (the first brief's target) staying there.
 */
const TARGET_MS = 200;
const ANY_REPORT_MS = 500;
const RUNS = 9;
const WARMUP = 2;
const DAY = 86_400_000;
/** Waiting for other processes to quiet down: at most this long before one timed request... */
const QUIET_WAIT_MS = 10_000;
/** ...and this long over the whole scenario, so a busy machine cannot stretch the run without bound. */
const QUIET_BUDGET_MS = 90_000;

function databaseFor(clicks: number): string {
  return process.env.BENCH_REPORTS_DB || (clicks === DEFAULT_SHAPE.clicks ? 'tracker_bench_reports' : `tracker_bench_reports_${clicks}`);
}

interface Case {
  name: string;
  query: string;
  /** Held to TARGET_MS (the three); the others to ANY_REPORT_MS. */
  target: boolean;
}

const limitOf = (c: Case) => (c.target ? TARGET_MS : ANY_REPORT_MS);

function cases(end: Date): Case[] {
  // The last 30 days of the data set, to a minute after now: neither end falls on a quarter hour.
  const window = `from=${new Date(end.getTime() - 30 * DAY + 7 * 60_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`;
  const day = `from=${new Date(end.getTime() - DAY).toISOString()}&to=${end.toISOString()}`;
  return [
    { name: 'groupBy=campaign, 30 days', query: `groupBy=campaign&${window}`, target: true },
    { name: 'groupBy=campaign,day tz=Asia/Kathmandu, 30 days', query: `groupBy=campaign,day&tz=Asia/Kathmandu&${window}`, target: true },
    { name: 'groupBy=country,os, 30 days', query: `groupBy=country,os&${window}`, target: true },
    { name: 'groupBy=offer,hour tz=Asia/Kolkata, 30 days', query: `groupBy=offer,hour&tz=Asia/Kolkata&${window}`, target: false },
    { name: 'groupBy=city (the geo rollup), 30 days', query: `groupBy=city&${window}`, target: false },
    { name: 'groupBy=rule (the route rollup), 30 days', query: `groupBy=rule&${window}`, target: false },
    { name: 'groupBy=datacenter,offer (the route rollup), 30 days', query: `groupBy=datacenter,offer&${window}`, target: false },
    { name: 'groupBy=campaign, 30 days, conversionTime=visit, CSV', query: `groupBy=campaign&conversionTime=visit&format=csv&${window}`, target: false },
    { name: 'groupBy=zone (the slot value rollup), 30 days', query: `groupBy=zone&${window}`, target: false },
    {
      name: 'groupBy=zone,day campaign=camp7 tz=America/New_York, 30 days',
      query: `groupBy=zone,day&campaign=camp7&tz=America/New_York&${window}`,
      target: false,
    },
    { name: 'groupBy=zone,source (two slots: raw visits), 1 day', query: `groupBy=zone,source&campaign=camp7&${day}`, target: false },
  ];
}

/** Busy share of all CPUs over `ms` (from /proc/stat), or null off Linux. */
async function cpuBusy(ms: number): Promise<number | null> {
  const read = () => {
    try {
      const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
      return { idle: f[3] + f[4], total: f.reduce((a, b) => a + b, 0) };
    } catch {
      return null;
    }
  };
  const a = read();
  await new Promise((r) => setTimeout(r, ms));
  const b = read();
  return a && b && b.total > a.total ? 1 - (b.idle - a.idle) / (b.total - a.total) : null;
}

let quietBudgetMs = QUIET_BUDGET_MS;

/**
 * Waits (up to `maxMs`, and while the scenario's budget lasts) for half a second in which other
 * processes keep the CPUs under 25 % busy; answers the last reading.
 */
async function waitForQuiet(maxMs: number): Promise<number | null> {
  const started = Date.now();
  const until = started + Math.min(maxMs, Math.max(0, quietBudgetMs));
  let busy = await cpuBusy(500);
  while (busy !== null && busy > 0.25 && Date.now() < until) busy = await cpuBusy(500);
  quietBudgetMs -= Date.now() - started - 500;
  return busy;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function timeRequest(url: string, key: string): Promise<{ ms: number; status: number; body: string }> {
  const t = performance.now();
  const r = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
  const body = await r.text();
  return { ms: performance.now() - t, status: r.status, body };
}

/** `rows` visits as the click writer hands them to `click_insert_visits` (its group commit). */
function visitBatch(rows: number): string {
  const now = Date.now();
  const os = ['Windows', 'iOS', 'Android', 'Mac OS'];
  return JSON.stringify(
    Array.from({ length: rows }, (_, i) => ({
      id: `${now.toString(16).padStart(12, '0')}${randomBytes(6).toString('hex')}`,
      created_at: new Date(now).toISOString(),
      campaign_id: `camp${1 + (i % 50)}`,
      traffic_source_id: `ts${1 + (i % 8)}`,
      offer_id: `offer${1 + (i % 40)}`,
      query: { utm_source: `src${i % 20}` },
      remaped: { source: `src${i % 20}` },
      cost: '0.05',
      cost_currency: 'USD',
      ip: `203.0.113.${i % 250}`,
      ua: 'Mozilla/5.0 bench',
      agent: { family: ['Chrome', 'Firefox', 'Mobile Safari'][i % 3] },
      os: { family: os[i % 4] },
      device: { family: 'Other' },
      mobile: i % 2 === 0,
      bot: i % 50 === 0,
      country: ['US', 'GB', 'DE', 'IN', 'BR', 'NP'][i % 6],
      region: 'r',
      city: 'c',
      method: 'GET',
      url: '/c/x',
      protocol: 'https',
      host: 'bench',
    })),
  );
}

/** One click batch through the click writer's function, timed inside a rolled-back transaction. */
async function visitBatchMs(db: Client, batch: string): Promise<number> {
  await db.query('BEGIN');
  try {
    const t = performance.now();
    await db.query('SELECT count(*) FROM click_insert_visits($1::json)', [batch]);
    return performance.now() - t;
  } finally {
    await db.query('ROLLBACK');
  }
}

/**
 * Two sessions, one with the triggers and one without (session_replication_role = replica, set
 * once: changing it, like DDL, empties the plan cache, and replanning is not what is measured),
 * taking turns on the same batches.
 */
async function clickPathCost(url: string): Promise<(string | number)[][]> {
  const folding = new Client({ connectionString: url });
  const plain = new Client({ connectionString: url });
  await Promise.all([folding.connect(), plain.connect()]);
  const out: (string | number)[][] = [];
  try {
    await plain.query('SET session_replication_role = replica');
    for (const rows of [1, 50, 1000]) {
      const runs = rows === 1000 ? 21 : 61;
      const times = { plain: [] as number[], folding: [] as number[] };
      await waitForQuiet(QUIET_WAIT_MS);
      for (let i = 0; i < runs + 3; i++) {
        const batch = visitBatch(rows);
        const [p, f] = [await visitBatchMs(plain, batch), await visitBatchMs(folding, batch)];
        if (i < 3) continue;
        times.plain.push(p);
        times.folding.push(f);
      }
      const [p, f] = [median(times.plain), median(times.folding)];
      out.push([rows, p, f, f - p, ((f - p) * 1000) / rows]);
    }
  } finally {
    await Promise.all([folding.end(), plain.end()]);
  }
  return out;
}

/**
 * The load scenarios run before this one leave dirty pages behind (their databases written and
 * dropped); a checkpoint now writes them out before the first timed request rather than during
 * them. Without the right to (not a superuser, nor pg_checkpoint), the run goes on without it.
 */
async function checkpoint(adminUrl: string): Promise<void> {
  try {
    await onAdmin(adminUrl, 'CHECKPOINT');
  } catch (e) {
    console.log(`  no CHECKPOINT before the requests: ${(e as Error).message}`);
  }
}

export const reportsBench: Scenario = {
  name: 'reports',
  description: `GET /api/v1/reports over ${DEFAULT_SHAPE.clicks.toLocaleString('en')} clicks and ${DEFAULT_SHAPE.conversions.toLocaleString('en')} conversions (BENCH_REPORTS_CLICKS for another count) on PostgreSQL (target: median <= ${ANY_REPORT_MS} ms each, <= ${TARGET_MS} ms for three)`,
  async run(o: BenchOptions): Promise<ScenarioResult> {
    quietBudgetMs = QUIET_BUDGET_MS;
    const shape = shapeOf(o.reportsClicks);
    const DATABASE = databaseFor(shape.clicks);
    const seed = await ensureSeeded(o.adminDatabaseUrl, DATABASE, shape, (line) => console.log(`  seed: ${line}`));
    const seedNote = seed.seededNow
      ? `Seeded ${DATABASE} in this run: ${seed.seconds.toFixed(0)} s (${seed.check}).`
      : `Reused the database ${DATABASE} seeded by an earlier run.`;
    console.log(`  ${seedNote}`);
    await checkpoint(o.adminDatabaseUrl);
    const dbUrl = new URL(o.adminDatabaseUrl);
    dbUrl.pathname = `/${DATABASE}`;

    const tracker = await startTracker(dbUrl.toString(), { cpuProfileDir: o.cpuProfileDir });
    const rows: (string | number)[][] = [];
    const queries: QueryFigures[] = [];
    const tables: FigureTable[] = [];
    const figures: ScenarioResult['figures'] = {
      clicks: shape.clicks,
      conversions: shape.conversions,
      seededNow: seed.seededNow,
      seedSeconds: Math.round(seed.seconds),
    };
    let passed = true;
    try {
      for (const c of cases(seed.end)) {
        const url = `${tracker.url}/api/v1/reports?${c.query}`;
        const times: number[] = [];
        const busy: number[] = [];
        let last = { ms: 0, status: 0, body: '' };
        for (let i = 0; i < WARMUP + RUNS; i++) {
          const b = i >= WARMUP ? await waitForQuiet(QUIET_WAIT_MS) : null;
          if (b !== null) busy.push(b);
          last = await timeRequest(url, tracker.adminKey);
          if (last.status !== 200) throw new Error(`${c.name}: answered ${last.status}: ${last.body.slice(0, 300)}`);
          if (i >= WARMUP) times.push(last.ms);
        }
        const m = median(times);
        const answerRows = c.query.includes('format=csv') ? last.body.trim().split('\n').length - 1 : JSON.parse(last.body).rows.length;
        const limit = limitOf(c);
        if (m > limit) passed = false;
        figures[`${c.name} median ms`] = Math.round(m * 10) / 10;
        queries.push({
          name: c.name,
          rows: answerRows,
          medianMs: m,
          minMs: Math.min(...times),
          maxMs: Math.max(...times),
          cpuBusyBefore: busy.length ? median(busy) : null,
          counted: true,
          targetMs: limit,
          met: m <= limit,
        });
        const foreign = busy.length ? `${Math.round(median(busy) * 100)} %` : '?';
        rows.push([c.name, answerRows, m, Math.min(...times), Math.max(...times), foreign, `${m <= limit ? 'met' : 'MISSED'} (<= ${limit})`]);
      }
      printTable(
        `report latency over HTTP (${RUNS} runs after ${WARMUP} warm-up, each after up to ${QUIET_WAIT_MS / 1000} s waiting for other processes to quiet down; ms)`,
        ['request', 'rows', 'median', 'min', 'max', 'CPU busy before', 'target ms'],
        rows,
      );

      const cost = await clickPathCost(dbUrl.toString());
      const costTable: FigureTable = {
        title: 'Click path: one click_insert_visits batch, without and with the rollup trigger (median ms)',
        header: ['batch rows', 'no trigger', 'with trigger', 'added', 'added µs/click'],
        rows: cost,
      };
      printTable(costTable.title, costTable.header, cost);
      tables.push(costTable);
      for (const [n, , , added] of cost) figures[`rollup cost ms per ${n}-row batch`] = Math.round(Number(added) * 100) / 100;
    } finally {
      await tracker.stop();
    }
    return {
      scenario: 'reports',
      description: reportsBench.description,
      target: `median <= ${ANY_REPORT_MS} ms for every request, <= ${TARGET_MS} ms for the three the rollups already served (issue 14)`,
      method:
        `Data: ${shape.clicks.toLocaleString('en')} clicks and ${shape.conversions.toLocaleString('en')} conversions over ${shape.campaigns} ` +
        `campaigns and ${shape.days} days, generated on the server (bench/reports.seed.ts) into a database kept between runs; the rows are ` +
        `written with the rollup triggers off, then the rollups are built in bulk with the rollup migration's own fold statements (fed ` +
        `quarter-hour counts) and checked against the raw rows per day. A CHECKPOINT first writes out what the scenarios before left dirty. Each request: ${WARMUP} warm-up calls, then ${RUNS} timed calls over HTTP to one tracker process, each after ` +
        `up to ${QUIET_WAIT_MS / 1000} s waiting for the other processes to leave the CPUs under 25 % busy (at most ${QUIET_BUDGET_MS / 1000} s ` +
        `of waiting in all). No load generator and no bare baseline: a report is one request at a time. Then the rollups' cost on the ` +
        `click path: click_insert_visits batches of 1, 50 and 1000 rows timed in two sessions, with and without the triggers, rolled back.`,
      passed,
      queries,
      tables,
      notes: [seedNote],
      figures,
    };
  },
};
