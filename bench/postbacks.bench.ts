import { join } from 'node:path';
import autocannon = require('autocannon');
import { startChildServer } from './lib/child-server';
import { backendsOf, BenchDatabase, createBenchDatabase } from './lib/database';
import { cpuByPid, cpuOf, cpuSince, cpuUsPer, loadAverage } from './lib/machine-load';
import { LOAD_HEADER, loadRow, printTable } from './lib/report';
import { BenchOptions, LoadFigures, loadFigures, Scenario, ScenarioResult } from './lib/scenario';
import { startTracker } from './lib/tracker';

/**
 * Target (issue 14): at least the bare figure (one awaited INSERT per call), with dedupe, history
 * and the inbound log. It replaced the first brief's >= 40 % of bare and >= 5,000 postbacks/s: an
 * absolute figure the bare server itself misses on some of these machines (3,400-5,400 a second).
 */
const MIN_RATIO = 1;
/** Recorded clicks the postbacks name; more than one run uses, so most clicks convert once. */
const CLICKS = 200_000;
const UA = 'Mozilla/5.0 (compatible; network-postback/1.0)';
/**
 * BENCH_POSTBACK_REPEATS=<n> (not set by default): the tracker's calls repeat n transaction ids
 * with new amounts, so after the first n each call updates a conversion (a history row, an
 * outbox check) instead of creating one: the repeat path's throughput. The bare server's calls
 * stay as they are.
 */
const REPEATS = Number(process.env.BENCH_POSTBACK_REPEATS ?? 0);

/** `acknowledged`: 200s over warm-up and run. */
type Measured = LoadFigures & { answered: number; acknowledged: number };

/**
 * Every request a fresh transaction id on one of the recorded clicks, so each one creates a
 * conversion; with `repeats`, one of that many transaction ids (a new amount for an existing one).
 */
function uniquePostbacks(clickIds: string[], run: string, repeats = 0): { next: () => string } {
  let n = 0;
  return {
    next: () => {
      const i = n++;
      return `/postback?clickid=${clickIds[i % clickIds.length]}&payout=${(i % 97) + 0.5}&txid=${run}-${repeats ? i % repeats : i}&currency=USD`;
    },
  };
}

async function load(url: string, o: BenchOptions, paths: { next: () => string }, seconds: number) {
  const request = {
    method: 'GET',
    path: '/postback',
    headers: { 'user-agent': UA },
    setupRequest: (r: Record<string, unknown>) => ({ ...r, path: paths.next() }),
  };
  return autocannon({ url, connections: o.connections, duration: seconds, requests: [request as never] });
}

/** Warm-up, then the measured run; CPU per answered request of the server and of its database backends. */
async function measure(
  label: string,
  url: string,
  pid: number,
  o: BenchOptions,
  paths: { next: () => string },
  backends: () => Promise<number[]>,
): Promise<Measured> {
  const loadBefore = loadAverage();
  const warm = await load(url, o, paths, o.warmupSeconds);
  const pids = await backends();
  const cpu0 = cpuOf([pid]);
  const db0 = cpuByPid(pids);
  const r = await load(url, o, paths, o.durationSeconds);
  const cpu1 = cpuOf([pid]);
  const dbSeconds = cpuSince(db0, await backends());
  const statuses: Record<string, number> = {};
  for (const [code, s] of Object.entries(r.statusCodeStats ?? {})) statuses[code] = s.count;
  const answered = Object.values(statuses).reduce((a, b) => a + b, 0);
  const per = cpuUsPer(answered);
  return {
    label,
    processes: 1,
    connections: o.connections,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    statuses,
    answered,
    acknowledged: warm['2xx'] + r['2xx'],
    errors: warm.errors + warm.timeouts + r.errors + r.timeouts,
    cpuUsPerReq: per(cpu0, cpu1),
    dbCpuUsPerReq: per(0, dbSeconds),
    loadBefore,
    loadAfter: loadAverage(),
  };
}

/** Recorded clicks written straight into `visits`, as the click writer would have (`count`, 200,000 unless given), and folded into the rollups. */
export async function seedClicks(db: BenchDatabase, campaign: { id: string; trafficSourceId: string; offerId: string }, count = CLICKS): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `INSERT INTO visits (id, created_at, campaign_id, traffic_source_id, offer_id, external_id, query, remaped, cost, ip, ua, country, method, url, protocol, host)
     SELECT lpad(to_hex((extract(epoch FROM t) * 1000)::bigint), 12, '0') || lpad(to_hex(i), 12, '0'), t, $1, $2, $3, 'ext-' || i,
            jsonb_build_object('utm_source', 'bench'), jsonb_build_object('source', 'bench'), 0.01, '8.8.8.8', 'Mozilla/5.0', 'US',
            'GET', '/c/bench-postbacks', 'http', 'localhost'
       FROM generate_series(1, $4::int) AS i, LATERAL (SELECT now() - interval '1 hour' + i * interval '1 millisecond' AS t) x
     RETURNING id`,
    [campaign.id, campaign.trafficSourceId, campaign.offerId, count],
  );
  await db.query('ANALYZE visits');
  // The seeded clicks are folded into the report rollups now, as setup: left to the tracker's
  // once-a-second fold, their fold (about 6 s of a core for 200,000 visits) ran during the
  // measured postbacks and was counted in their database CPU.
  await db.query('SELECT report_fold_pending()');
  return rows.map((r) => r.id);
}

export const postbacksBench: Scenario = {
  name: 'postbacks',
  repeated: true,
  description: 'unique GET /postback on recorded clicks (dedupe, history, inbound log) against bare node:http + one awaited INSERT, on PostgreSQL',
  async run(o: BenchOptions): Promise<ScenarioResult> {
    let bareResult: Measured;
    const bareDb = await createBenchDatabase(o.adminDatabaseUrl);
    try {
      const bare = await startChildServer([join(__dirname, 'postbacks.bare-server.js')], { DATABASE_URL: bareDb.url }, /listening on (http:\/\/\S+)/);
      try {
        const fakeClicks = Array.from({ length: 1000 }, (_, i) => `bare${i}`);
        bareResult = await measure('bare node:http + INSERT', bare.url, bare.pid, o, uniquePostbacks(fakeClicks, 'bare'), backendsOf(bareDb));
      } finally {
        await bare.stop();
      }
    } finally {
      await bareDb.drop();
    }

    const db = await createBenchDatabase(o.adminDatabaseUrl);
    try {
      const tracker = await startTracker(db.url, { cpuProfileDir: o.cpuProfileDir, env: { RATE_LIMIT_PER_MINUTE: '0' } });
      let trackerResult: Measured;
      try {
        const ts = await tracker.api('POST', '/traffic-sources', { name: 'bench source', clickIdParam: 'clickid' });
        const net = await tracker.api('POST', '/affiliate-networks', { name: 'bench network' });
        const offer = await tracker.api('POST', '/offers', {
          name: 'bench offer',
          affiliateNetworkId: net.id,
          url: 'https://offer.example/?s={click_id}',
          payout: { type: 'dynamic', amount: '10', currency: 'USD' },
        });
        const camp = await tracker.api('POST', '/campaigns', {
          key: 'bench-postbacks',
          name: 'bench',
          trafficSourceId: ts.id,
          destinations: [{ offerId: offer.id, weight: 1 }],
        });
        const clicks = await seedClicks(db, { id: camp.id, trafficSourceId: ts.id, offerId: offer.id });
        trackerResult = await measure('tracker', tracker.url, tracker.pid, o, uniquePostbacks(clicks, 'run', REPEATS), backendsOf(db));
      } finally {
        await tracker.stop();
      }
      const [counts] = await db.query<{ conversions: number; history: number; logged: number; accepted: number; updated: number; duplicate: number }>(
        `SELECT (SELECT count(*)::int FROM conversions) AS conversions, (SELECT count(*)::int FROM conversion_history) AS history,
                (SELECT count(*)::int FROM postbacks) AS logged, (SELECT count(*)::int FROM postbacks WHERE outcome = 'accepted') AS accepted,
                (SELECT count(*)::int FROM postbacks WHERE outcome = 'updated') AS updated, (SELECT count(*)::int FROM postbacks WHERE outcome = 'duplicate') AS duplicate`,
      );
      const ratio = trackerResult.rps / bareResult.rps;
      // Without repeats every call is accepted: one conversion, one history row and one log entry each.
      const consistent =
        counts.conversions === counts.accepted &&
        counts.history === counts.accepted + counts.updated &&
        counts.logged === counts.accepted + counts.updated + counts.duplicate;
      // The calls answered 200 that the database holds (their log entries; without repeats, their conversions).
      const stored = counts.accepted + counts.updated + counts.duplicate;
      const mode = REPEATS ? `, repeating ${REPEATS.toLocaleString('en')} transaction ids` : '';
      printTable(`postbacks: ${o.connections} connections, ${o.durationSeconds} s after ${o.warmupSeconds} s warm-up${mode}`, LOAD_HEADER, [
        loadRow(bareResult),
        loadRow(trackerResult),
      ]);
      console.log(`ratio tracker / bare: ${(ratio * 100).toFixed(1)} % (target >= ${MIN_RATIO * 100} %), tracker ${Math.round(trackerResult.rps)} postbacks/s`);
      const n = (x: number) => x.toLocaleString('en-US');
      const agreement = REPEATS
        ? 'one conversion per accepted call, one history row per accepted or updated call, one log entry per call'
        : 'one conversion, one history row and one log entry per accepted call';
      const detail =
        `${n(counts.conversions)} conversions, ${n(counts.history)} history rows, ${n(counts.logged)} log entries (${n(counts.accepted)} accepted` +
        (REPEATS ? `, ${n(counts.updated)} updated, ${n(counts.duplicate)} duplicate)` : ')') +
        (consistent ? `: ${agreement}` : ': COUNTS DISAGREE') +
        `; ${n(trackerResult.acknowledged)} 200s received over warm-up and run` +
        (stored >= trackerResult.acknowledged ? '' : `: ${n(trackerResult.acknowledged - stored)} ACKNOWLEDGED POSTBACKS ARE MISSING`);
      console.log(`rows: ${detail}`);
      const allOk = !trackerResult.errors && trackerResult.statuses['200'] === trackerResult.answered;
      const passed = ratio >= MIN_RATIO && consistent && stored >= trackerResult.acknowledged && allOk;
      const missed = [
        ratio < MIN_RATIO ? `tracker at ${(ratio * 100).toFixed(1)} % of bare, under ${MIN_RATIO * 100} %` : '',
        consistent && stored >= trackerResult.acknowledged ? '' : 'row counts disagree',
        allOk ? '' : 'answers other than 200, or errors',
      ].filter(Boolean);
      console.log(passed ? 'postbacks: target met' : 'postbacks: target NOT met');
      return {
        scenario: 'postbacks',
        description: postbacksBench.description,
        target: `tracker >= ${MIN_RATIO * 100} % of the bare req/s, every answer 200, one conversion, history row and log entry per accepted call`,
        method:
          `Baseline: node:http answering GET /postback with one awaited single-row INSERT each on its own fresh database (a pool of 10; ` +
          `no framework, no dedupe, no history, no log: bench/postbacks.bare-server.ts). Tracker: one process on a fresh database with ` +
          `${CLICKS.toLocaleString('en')} recorded clicks written straight into visits; every request a new transaction id on one of ` +
          `them, so each creates a conversion (dedupe, status history, inbound log). Rows: conversions, history rows and accepted log ` +
          `entries counted after the tracker stopped, against the 200s autocannon received over warm-up and run (a few more rows than ` +
          `200s: requests still being answered when the load generator stopped listening).`,
        passed,
        tracker: trackerResult,
        bare: bareResult,
        ratio,
        rows: {
          what: REPEATS ? 'log entries of 200 outcomes for acknowledged 200s' : 'conversions for acknowledged 200s',
          acknowledged: trackerResult.acknowledged,
          found: REPEATS ? stored : counts.conversions,
          ok: consistent && stored >= trackerResult.acknowledged,
          detail,
        },
        notes: missed.length ? [`Missed: ${missed.join('; ')}.`] : [],
        figures: {
          ...loadFigures('bare', bareResult),
          ...loadFigures('tracker', trackerResult),
          ratio: Number(ratio.toFixed(3)),
          acknowledged: trackerResult.acknowledged,
          conversions: counts.conversions,
          history: counts.history,
          logged: counts.logged,
          accepted: counts.accepted,
          consistent,
        },
      };
    } finally {
      await db.drop();
    }
  },
};
