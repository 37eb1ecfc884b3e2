import { join } from 'node:path';
import { ID_PATTERN, idTime } from '../src/common/ids';
import { CLICK_PATH, clickRequests, seedClickCampaign } from './clicks.bench';
import { ChildServer, startChildServer } from './lib/child-server';
import { backendsOf, BenchDatabase, createBenchDatabase } from './lib/database';
import { LoadResult, runLoad } from './lib/load';
import { cpuByPid, cpuOf, cpuSince, cpuUsPer, loadAverage } from './lib/machine-load';
import { LOAD_HEADER, loadRow, printTable } from './lib/report';
import { BenchOptions, LoadFigures, loadFigures, Scenario, ScenarioResult } from './lib/scenario';
import { startTracker, TrackerProcess } from './lib/tracker';

/**
 * Two tracker processes on one PostgreSQL database, the load split over both (one autocannon per
 * process, at once, half the connections each), against two bare node:http processes under the
 * same split. Every 302's click id is collected from its Location: none may repeat (within or
 * across processes), each must be well formed and stored, and both processes must have written.
 */
const ID_IN_LOCATION = /[?&]aff_sub=([^&]*)/;

interface Pair {
  figures: LoadFigures;
  perProcess: LoadResult[];
  /** The click ids of the 302s each process answered, warm-up and run. */
  ids: string[][];
}

function header(headers: Record<string, string | string[]>, name: string): string {
  const v = headers[name] ?? Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
  return Array.isArray(v) ? v[0] : (v ?? '');
}

async function measurePair(label: string, servers: ChildServer[], o: BenchOptions, dbPids: () => Promise<number[]>): Promise<Pair> {
  const connections = Math.max(1, Math.floor(o.connections / servers.length));
  const ids: string[][] = servers.map(() => []);
  const loadBefore = loadAverage();
  const backends = await dbPids();
  const cpu0 = cpuOf(servers.map((s) => s.pid));
  const db0 = cpuByPid(backends);
  const perProcess = await Promise.all(
    servers.map((s, i) =>
      runLoad({
        url: s.url,
        connections,
        warmupSeconds: o.warmupSeconds,
        durationSeconds: o.durationSeconds,
        requests: clickRequests(),
        onResponse: (status, headers) => {
          if (status === 302) ids[i].push(ID_IN_LOCATION.exec(header(headers, 'location'))?.[1] ?? '');
        },
      }),
    ),
  );
  const cpu1 = cpuOf(servers.map((s) => s.pid));
  const dbSeconds = cpuSince(db0, await dbPids());
  const statuses: Record<string, number> = {};
  for (const r of perProcess) for (const [c, n] of Object.entries(r.statuses)) statuses[c] = (statuses[c] ?? 0) + n;
  const answered = perProcess.reduce(
    (n, r) =>
      n +
      r.total3xx +
      Object.entries(r.statuses)
        .filter(([c]) => !c.startsWith('3'))
        .reduce((m, [, k]) => m + k, 0),
    0,
  );
  const per = cpuUsPer(answered);
  return {
    perProcess,
    ids,
    figures: {
      label,
      processes: servers.length,
      connections: connections * servers.length,
      rps: perProcess.reduce((n, r) => n + r.rps, 0),
      p50: Math.max(...perProcess.map((r) => r.p50)),
      p99: Math.max(...perProcess.map((r) => r.p99)),
      statuses,
      errors: perProcess.reduce((n, r) => n + r.errors + r.timeouts, 0),
      cpuUsPerReq: per(cpu0, cpu1),
      dbCpuUsPerReq: per(0, dbSeconds),
      loadBefore,
      loadAfter: loadAverage(),
    },
  };
}

/** Waits until a process routes the campaign (it loads routes when it starts); answers the probe clicks' ids. */
async function probe(tracker: TrackerProcess): Promise<string[]> {
  const until = Date.now() + 15_000;
  for (;;) {
    const r = await fetch(`${tracker.url}${CLICK_PATH}`, { redirect: 'manual' });
    await r.arrayBuffer();
    if (r.status === 302) return [ID_IN_LOCATION.exec(r.headers.get('location') ?? '')?.[1] ?? ''];
    if (Date.now() > until) throw new Error(`the second tracker still answers ${r.status} for ${CLICK_PATH}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function countStored(db: BenchDatabase, ids: string[]): Promise<number> {
  let found = 0;
  for (let i = 0; i < ids.length; i += 50_000)
    found += (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM visits WHERE id = ANY($1::text[])`, [ids.slice(i, i + 50_000)]))[0].n;
  return found;
}

export const clicks2procBench: Scenario = {
  name: 'clicks-2proc',
  repeated: true,
  description: 'GET /c/:key split over 2 tracker processes on one PostgreSQL database, against 2 bare node:http processes; no click id may collide',
  async run(o: BenchOptions): Promise<ScenarioResult> {
    const bares: ChildServer[] = [];
    let bare: Pair;
    try {
      for (let i = 0; i < 2; i++) bares.push(await startChildServer([join(__dirname, 'lib', 'bare-server.js')], {}, /listening on (http:\/\/\S+)/));
      bare = await measurePair('bare node:http', bares, o, async () => []);
    } finally {
      await Promise.all(bares.map((b) => b.stop()));
    }

    const db = await createBenchDatabase(o.adminDatabaseUrl);
    try {
      const trackers: TrackerProcess[] = [];
      let tracker: Pair;
      const probed: string[][] = [[], []];
      const started = Date.now();
      try {
        // One after the other: the first migrates the fresh database; the second loads the routes seeded through the first.
        trackers.push(await startTracker(db.url, { cpuProfileDir: o.cpuProfileDir }));
        await seedClickCampaign(trackers[0].api);
        trackers.push(await startTracker(db.url, { cpuProfileDir: o.cpuProfileDir }));
        for (let i = 0; i < 2; i++) probed[i] = await probe(trackers[i]);
        tracker = await measurePair('tracker', trackers, o, backendsOf(db));
      } finally {
        await Promise.all(trackers.map((t) => t.stop()));
      }
      const finished = Date.now();

      const ids = tracker.ids.map((xs, i) => [...probed[i], ...xs]);
      const all = ids.flat();
      const acked = all.length;
      const ackedByAutocannon = tracker.perProcess.reduce((n, r) => n + r.total3xx, 0) + probed.flat().length;
      const collisions = acked - new Set(all).size;
      const malformed = all.filter((id) => !ID_PATTERN.test(id) || idTime(id).getTime() < started - 5_000 || idTime(id).getTime() > finished + 5_000).length;
      const stored = [await countStored(db, ids[0]), await countStored(db, ids[1])];
      const [{ rows, distinct }] = await db.query<{ rows: number; distinct: number }>(
        `SELECT count(*)::int AS rows, count(DISTINCT id)::int AS distinct FROM visits`,
      );
      const found = stored[0] + stored[1];
      const ok =
        collisions === 0 &&
        malformed === 0 &&
        acked === ackedByAutocannon &&
        found === acked &&
        distinct === rows &&
        rows >= acked &&
        ids.every((xs, i) => xs.length > 0 && stored[i] === xs.length);
      const n = (x: number) => x.toLocaleString('en-US');
      const detail =
        `${n(acked)} acknowledged 302s (${n(ids[0].length)} + ${n(ids[1].length)} by process) carried ${n(acked - collisions)} distinct click ids ` +
        `(${n(collisions)} repeated), ${n(malformed)} malformed or outside the run's time; ${n(stored[0])} + ${n(stored[1])} of them stored; ` +
        `${n(rows)} visits in the database, ${n(distinct)} distinct ids` +
        (rows > acked ? ` (${n(rows - acked)} more rows than 302s: answered after the load generator stopped listening)` : '');
      const ratio = tracker.figures.rps / bare.figures.rps;

      printTable(
        `clicks on 2 processes: ${tracker.figures.connections} connections split over both, ${o.durationSeconds} s after ${o.warmupSeconds} s warm-up`,
        LOAD_HEADER,
        [loadRow(bare.figures), loadRow(tracker.figures)],
      );
      const perProcess = {
        title: 'Per process (measured run; 302s over warm-up and run)',
        header: ['process', 'req/s', 'p50 ms', 'p99 ms', '302s acknowledged', 'their ids stored'],
        rows: [
          ...bare.perProcess.map((r, i) => [`bare ${i + 1}`, Math.round(r.rps), r.p50, r.p99, r.total3xx, '-']),
          ...tracker.perProcess.map((r, i) => [`tracker ${i + 1}`, Math.round(r.rps), r.p50, r.p99, ids[i].length, stored[i]]),
        ],
      };
      printTable(perProcess.title, perProcess.header, perProcess.rows);
      console.log(`combined: ${Math.round(tracker.figures.rps)} req/s, ${(ratio * 100).toFixed(1)} % of 2 bare processes`);
      console.log(`ids: ${detail}`);
      console.log(ok ? 'clicks-2proc: target met' : 'clicks-2proc: target NOT met');
      return {
        scenario: 'clicks-2proc',
        description: clicks2procBench.description,
        target:
          'no click id repeated within or across the processes, every id well formed and stored, both processes writing (throughput reported, not targeted)',
        method:
          'Two bare node:http processes (as in clicks), then two tracker processes on one fresh database (the first migrates it and ' +
          'takes the campaign; the second starts after and is probed until it routes). One autocannon per process, run at once, ' +
          `${tracker.figures.connections / 2} connections each; req/s is the sum, p50 and p99 the slower process's. Every 302's click id ` +
          'is read from its Location; after the trackers stopped, each is looked up in visits.',
        passed: ok,
        tracker: tracker.figures,
        bare: bare.figures,
        ratio,
        rows: { what: 'visits for acknowledged 302s (both processes)', acknowledged: acked, found, ok, detail },
        tables: [perProcess],
        notes: [],
        figures: {
          ...loadFigures('bare', bare.figures),
          ...loadFigures('tracker', tracker.figures),
          ratio: Number(ratio.toFixed(3)),
          acknowledged: acked,
          acknowledged1: ids[0].length,
          acknowledged2: ids[1].length,
          stored1: stored[0],
          stored2: stored[1],
          collisions,
          malformed,
          rows,
          distinct,
          rowsOk: ok,
        },
      };
    } finally {
      await db.drop();
    }
  },
};
