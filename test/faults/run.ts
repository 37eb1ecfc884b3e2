// Fault tests (issue 15), run by .ci/run on PostgreSQL:  npm run test:faults   (builds first)
// Each scenario runs a tracker process on a PostgreSQL cluster of its own (pg_createcluster on a
// free port, trust auth, dropped at the end: needs root and Debian's postgresql-common), drives a
// mixed load at it (clicks; pixels and postbacks for clicks already redirected), breaks something
// in the middle, and then reconciles every acknowledged id against the database:
//   database stopped for 15 s: clicks still redirected and pixels answered (spooled), postbacks
//     503 (their senders retry), no 500; everything acknowledged stored once the database is back;
//   kill -9 of the tracker, restarted on the same port: everything acknowledged before stored.
// Prints acknowledged, stored and lost per kind; exits 1 when anything acknowledged was lost.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startTracker, TrackerProcess } from '../../bench/lib/tracker';

const VERSION = process.env.PG_VERSION ?? '15';
const WORKERS = 12;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class Cluster {
  private constructor(
    readonly name: string,
    readonly port: number,
  ) {}

  static async create(): Promise<Cluster> {
    const c = new Cluster(`tfault${process.pid}${Math.floor(Math.random() * 1000)}`, await freePort());
    execFileSync('pg_createcluster', [VERSION, c.name, '-p', String(c.port), '--', '--auth-host=trust', '--auth-local=trust'], { stdio: 'ignore' });
    c.ctl('start');
    return c;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  ctl(action: 'start' | 'stop'): void {
    execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', VERSION, this.name, action, ...(action === 'stop' ? ['-m', 'immediate'] : [])], {
      stdio: 'ignore',
    });
  }

  drop(): void {
    try {
      execFileSync('pg_dropcluster', ['--stop', VERSION, this.name], { stdio: 'ignore' });
    } catch {
      // Already gone.
    }
  }
}

interface Tally {
  clicks: string[];
  pixels: string[];
  postbacks: Map<string, string>;
  status: Record<string, number>;
  /** Requests that got no answer at all (the tracker was killed under them). */
  unanswered: number;
}

/** Mixed load until `stop()`: clicks, then a pixel or a postback for clicks already redirected. */
function mixedLoad(url: () => string, key: string) {
  const t: Tally = { clicks: [], pixels: [], postbacks: new Map(), status: {}, unanswered: 0 };
  const fresh: string[] = [];
  let running = true;
  const count = (label: string) => (t.status[label] = (t.status[label] ?? 0) + 1);
  const hit = async (path: string) => {
    try {
      const r = await fetch(url() + path, { redirect: 'manual', signal: AbortSignal.timeout(10_000) });
      const body = await r.text();
      return { status: r.status, location: r.headers.get('location'), body };
    } catch {
      t.unanswered++;
      await sleep(50);
      return null;
    }
  };
  const worker = async (w: number) => {
    for (let i = 0; running; i++) {
      const kind = i % 3 === 0 || fresh.length === 0 ? 'click' : (i + w) % 2 === 0 ? 'pixel' : 'postback';
      if (kind === 'click') {
        const r = await hit(`/c/${key}?w=${w}&i=${i}`);
        if (!r) continue;
        count(`click ${r.status}`);
        if (r.status === 302 && r.location) {
          const id = new URL(r.location).searchParams.get('sub')!;
          t.clicks.push(id);
          fresh.push(id);
        }
      } else if (kind === 'pixel') {
        const id = fresh.shift()!;
        const r = await hit(`/a.gif?h=${id}`);
        if (!r) continue;
        count(`pixel ${r.status}`);
        if (r.status === 200) t.pixels.push(id);
      } else {
        const id = fresh.shift()!;
        const r = await hit(`/postback?clickid=${id}&txid=tx-${id}&payout=1.5`);
        if (!r) continue;
        count(`postback ${r.status}`);
        if (r.status === 200) {
          const b = JSON.parse(r.body) as { conversionId?: string };
          if (b.conversionId) t.postbacks.set(id, b.conversionId);
        }
      }
    }
  };
  const done = Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
  return {
    tally: t,
    async stop() {
      running = false;
      await done;
    },
  };
}

async function waitDrained(url: string, limitMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < limitMs) {
    try {
      const r = await fetch(`${url}/health`);
      const b = (await r.json()) as { spool?: number };
      if (r.status === 200 && b.spool === undefined) return Date.now() - started;
    } catch {
      // Not up yet.
    }
    await sleep(250);
  }
  throw new Error(`the tracker did not drain its spool and answer /health 200 within ${limitMs / 1000} s`);
}

async function reconcile(name: string, databaseUrl: string, t: Tally): Promise<number> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const found = async (sql: string, ids: string[]) => new Set((await db.query<{ id: string }>(sql, [ids])).rows.map((r) => r.id));
    const visits = await found(`SELECT id FROM visits WHERE id = ANY($1)`, t.clicks);
    const pixels = await found(`SELECT click_id AS id FROM conversions WHERE click_id = ANY($1)`, t.pixels);
    const conversions = await found(`SELECT id FROM conversions WHERE id = ANY($1)`, [...t.postbacks.values()]);
    const [dupes] = (
      await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT click_id FROM conversions GROUP BY click_id, transaction_id HAVING count(*) > 1) d`)
    ).rows;
    const rows = [
      ['clicks (302)', t.clicks.length, t.clicks.filter((id) => visits.has(id)).length],
      ['pixels (200)', t.pixels.length, t.pixels.filter((id) => pixels.has(id)).length],
      ['postbacks (200)', t.postbacks.size, [...t.postbacks.values()].filter((id) => conversions.has(id)).length],
    ] as const;
    let lost = 0;
    console.log(`\n${name}`);
    console.log(`  ${'kind'.padEnd(16)} ${'acknowledged'.padStart(12)} ${'stored'.padStart(8)} ${'lost'.padStart(6)}`);
    for (const [kind, acked, stored] of rows) {
      lost += acked - stored;
      console.log(`  ${kind.padEnd(16)} ${String(acked).padStart(12)} ${String(stored).padStart(8)} ${String(acked - stored).padStart(6)}`);
    }
    const answers = Object.entries(t.status)
      .sort()
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ');
    console.log(`  answers: ${answers}; no answer: ${t.unanswered}; conversions stored twice: ${dupes.n}`);
    const fiveHundreds = Object.entries(t.status).filter(([k]) => / 5\d\d$/.test(k) && !k.endsWith(' 503'));
    if (fiveHundreds.length) console.log(`  UNEXPECTED: ${fiveHundreds.map(([k, v]) => `${k} x${v}`).join(', ')}`);
    return lost + dupes.n + fiveHundreds.reduce((n, [, v]) => n + v, 0);
  } finally {
    await db.end();
  }
}

async function setUp(cluster: Cluster, dataDir: string, port: number): Promise<{ tracker: TrackerProcess; databaseUrl: string; key: string }> {
  const admin = new Client({ connectionString: cluster.url });
  await admin.connect();
  await admin.query('CREATE DATABASE tracker');
  await admin.end();
  const databaseUrl = cluster.url.replace(/\/postgres$/, '/tracker');
  const tracker = await startTracker(databaseUrl, { env: trackerEnv(dataDir, port) });
  const offer = await tracker.api('POST', '/offers', {
    name: 'o',
    url: 'https://offer.example/?sub={click_id}',
    payout: { type: 'fixed', amount: '2', currency: 'USD' },
  });
  await tracker.api('POST', '/campaigns', { key: 'faults', name: 'faults', destinations: [{ offerId: offer.id }] });
  return { tracker, databaseUrl, key: 'faults' };
}

const trackerEnv = (dataDir: string, port: number) => ({ DATA_DIR: dataDir, PORT: String(port), RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'error' });

async function databaseStopped(): Promise<number> {
  const cluster = await Cluster.create();
  const dataDir = mkdtempSync(join(tmpdir(), 'faults-'));
  try {
    const { tracker, databaseUrl, key } = await setUp(cluster, dataDir, await freePort());
    try {
      const load = mixedLoad(() => tracker.url, key);
      await sleep(5_000);
      cluster.ctl('stop');
      const stoppedAt = Date.now();
      await sleep(15_000);
      cluster.ctl('start');
      console.log(`database down for ${((Date.now() - stoppedAt) / 1000).toFixed(1)} s under load (from its stop until its start returned)`);
      await sleep(5_000);
      await load.stop();
      const ms = await waitDrained(tracker.url, 60_000);
      console.log(`spool drained and /health 200 ${(ms / 1000).toFixed(1)} s after the load stopped`);
      return await reconcile('database stopped for 15 s under mixed load', databaseUrl, load.tally);
    } finally {
      await tracker.stop();
    }
  } finally {
    cluster.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function killed(): Promise<number> {
  const cluster = await Cluster.create();
  const dataDir = mkdtempSync(join(tmpdir(), 'faults-'));
  const port = await freePort();
  try {
    const first = await setUp(cluster, dataDir, port);
    const { databaseUrl, key } = first;
    let tracker = first.tracker;
    try {
      const load = mixedLoad(() => tracker.url, key);
      await sleep(5_000);
      process.kill(tracker.pid, 'SIGKILL');
      console.log('tracker killed (SIGKILL) under load');
      await sleep(1_000);
      tracker = await startTracker(databaseUrl, { env: trackerEnv(dataDir, port) });
      await sleep(4_000);
      await load.stop();
      await waitDrained(tracker.url, 60_000);
      return await reconcile('kill -9 under mixed load, restarted on the same port', databaseUrl, load.tally);
    } finally {
      await tracker.stop();
    }
  } finally {
    cluster.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  let bad = 0;
  bad += await databaseStopped();
  bad += await killed();
  console.log(bad === 0 ? '\nfault tests: nothing acknowledged was lost' : `\nfault tests: ${bad} problems (see above)`);
  process.exit(bad === 0 ? 0 : 1);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
