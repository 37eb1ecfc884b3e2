/**
 * Delivery lag of the outbox (SPEC §7: the first attempt within 5 s), on PostgreSQL.
 *  1. A burst of postbacks, each conversion sent to 3 receivers; lag from the moment the postback
 *     is answered (its conversion and messages are committed by then) to the moment the receiver
 *     has the message. The dispatcher is woken by each commit in its process.
 *  2. The same count of conversions' messages committed at once by another process (one INSERT):
 *     the dispatcher finds them by polling, so this is its throughput on a standing backlog.
 *
 *   npm run build && DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node dist/bench/delivery-lag.js [conversions] [concurrency]
 *
 * The tracker runs as its own process (`node dist/src/main.js`, dispatcher on) on a fresh
 * database that is dropped afterwards; the receivers and the load run in this process.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BenchDatabase, createBenchDatabase } from './lib/database';
import { printTable } from './lib/report';
import { startTracker } from './lib/tracker';

const CONVERSIONS = Number(process.argv[2] ?? 1000);
const CONCURRENCY = Number(process.argv[3] ?? 50);
const RECEIVERS = 3;
const DEADLINE_MS = 180_000;

interface Arrival {
  receiver: number;
  txid: string;
  at: number;
  webhookId: string | undefined;
}

function startReceiver(index: number, arrivals: Arrival[], onArrival: () => void): Promise<http.Server> {
  const server = http.createServer({ keepAlive: true }, (req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const at = performance.now();
      const txid = /[LB]-\d+/.exec((req.url ?? '') + body)?.[0] ?? '?';
      arrivals.push({ receiver: index, txid, at, webhookId: req.headers['webhook-id'] as string | undefined });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      onArrival();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function get(url: string): Promise<{ status: number; location: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body }));
      })
      .on('error', reject);
  });
}

async function pool<T>(items: T[], concurrency: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i], i);
      }
    }),
  );
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function waitForArrivals(arrivals: Arrival[], count: number, setWaiter: (w: () => void) => void): Promise<void> {
  const deadline = Date.now() + DEADLINE_MS;
  while (arrivals.length < count && Date.now() < deadline) {
    await new Promise<void>((resolve) => {
      setWaiter(resolve);
      setTimeout(resolve, 1000);
    });
  }
}

/** The last results are written a moment after the receiver answered: wait for the log to hold them. */
async function waitForAttempts(db: BenchDatabase, count: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM delivery_attempts WHERE outcome = 'delivered'`);
    if (row.n >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the delivery log holds fewer than ${count} delivered attempts after 30 s`);
}

function lagRows(arrivals: Arrival[], committedAt: Map<string, { sent: number; answered: number }>, expected: number) {
  const first = new Map<string, Arrival>();
  for (const a of arrivals) if (!first.has(`${a.receiver}:${a.txid}`)) first.set(`${a.receiver}:${a.txid}`, a);
  const known = [...first.values()].filter((a) => committedAt.has(a.txid));
  const lag = known.map((a) => a.at - committedAt.get(a.txid)!.answered).sort((x, y) => x - y);
  const fromSend = known.map((a) => a.at - committedAt.get(a.txid)!.sent).sort((x, y) => x - y);
  return {
    unique: first.size,
    duplicates: arrivals.length - first.size,
    p50: percentile(lag, 50),
    p95: percentile(lag, 95),
    p99: percentile(lag, 99),
    max: lag[lag.length - 1],
    within5s: (100 * lag.filter((x) => x <= 5000).length) / Math.max(1, expected),
    sentP50: percentile(fromSend, 50),
    sentP95: percentile(fromSend, 95),
  };
}

async function main(): Promise<void> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) throw new Error('set DATABASE_URL to a PostgreSQL server (a fresh database is created on it)');
  const arrivals: Arrival[] = [];
  let waiter: (() => void) | null = null;
  const servers = await Promise.all(Array.from({ length: RECEIVERS }, (_, i) => startReceiver(i, arrivals, () => waiter?.())));
  const rx = servers.map((s) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`);

  const db = await createBenchDatabase(adminUrl);
  const tracker = await startTracker(db.url, { env: { OUTBOX_ENABLED: 'true', OUTBOUND_ALLOW_PRIVATE: 'true', RATE_LIMIT_PER_MINUTE: '0' } });
  try {
    const offer = await tracker.api('POST', '/offers', {
      name: 'lag offer',
      url: 'https://offer.example/?sub={click_id}',
      payout: { type: 'dynamic', amount: '1.00', currency: 'USD' },
    });
    const campaign = await tracker.api('POST', '/campaigns', { name: 'lag', key: 'lag-bench', destinations: [{ offerId: offer.id, weight: 100 }] });
    await tracker.api('POST', '/subscriptions', {
      subscriptionName: 'lag',
      filter: { campaignIds: [campaign.id] },
      secret: 'whsec_' + Buffer.alloc(32, 9).toString('base64'),
      receivers: [
        { httpMethod: 'GET', receiverUrl: `${rx[0]}/get?tx=\${transactionId}&v=\${payout}&s=\${status}` },
        { httpMethod: 'POST', receiverUrl: `${rx[1]}/json`, receiverFormat: 'json', receiverBody: '{"tx": "${transactionId}", "v": ${payout}}' },
        { httpMethod: 'POST', receiverUrl: `${rx[2]}/xml`, receiverFormat: 'xml', receiverBody: '<c><tx>${transactionId}</tx><v>${payout}</v></c>' },
      ],
    });

    const clicks: string[] = [];
    await pool(Array.from({ length: CONVERSIONS }), CONCURRENCY, async () => {
      const r = await get(`${tracker.url}/c/lag-bench?utm_source=bench`);
      const id = r.location ? new URL(r.location).searchParams.get('sub') : null;
      if (r.status !== 302 || !id) throw new Error(`click answered ${r.status}`);
      clicks.push(id);
    });

    // The burst: every postback at once, CONCURRENCY in flight.
    const answered = new Map<string, { sent: number; answered: number }>();
    const burstStart = performance.now();
    await pool(clicks, CONCURRENCY, async (clickId, i) => {
      const txid = `L-${i}`;
      const sent = performance.now();
      const r = await get(`${tracker.url}/postback?clickid=${clickId}&payout=1.23&txid=${txid}&status=approved`);
      if (r.status !== 200 || !/"accepted"/.test(r.body)) throw new Error(`postback answered ${r.status} ${r.body}`);
      answered.set(txid, { sent, answered: performance.now() });
    });
    const burstEnd = performance.now();

    const expected = CONVERSIONS * RECEIVERS;
    await waitForArrivals(arrivals, expected, (w) => (waiter = w));
    const drained = performance.now();
    await waitForAttempts(db, expected);
    const burst = lagRows(arrivals, answered, expected);

    // 2. A standing backlog, committed by another process in one statement.
    const backlogStart = arrivals.length;
    await db.query(
      `INSERT INTO outbox_messages (id, created_at, conversion_id, kind, subscription_id, receiver_index, target, sequence_number,
         method, url, headers, status, attempts, next_attempt_at, updated_at)
       SELECT lpad(to_hex(g * 10 + r), 24, '0'), now(), 'backlog-' || g, 'subscription', 'bench', r, 'sub:bench:' || r, 1,
              'GET', ($1::text[])[r + 1] || '/backlog?tx=B-' || g, '{}', 'pending', 0, now(), now()
         FROM generate_series(0, $2::int - 1) AS g, generate_series(0, 2) AS r`,
      [rx, CONVERSIONS],
    );
    const committed = performance.now();
    const backlogAnswered = new Map<string, { sent: number; answered: number }>();
    for (let i = 0; i < CONVERSIONS; i++) backlogAnswered.set(`B-${i}`, { sent: committed, answered: committed });
    await waitForArrivals(arrivals, backlogStart + expected, (w) => (waiter = w));
    const backlogDone = performance.now();
    await waitForAttempts(db, 2 * expected);
    const backlog = lagRows(arrivals.slice(backlogStart), backlogAnswered, expected);

    const ms = (n: number) => `${Math.round(n)} ms`;
    printTable(
      `Outbox delivery lag: ${CONVERSIONS} conversions x ${RECEIVERS} receivers, PostgreSQL`,
      ['measure', `postback burst (${CONCURRENCY} in flight)`, 'backlog committed at once'],
      [
        ['messages delivered (unique) / expected', `${burst.unique} / ${expected}`, `${backlog.unique} / ${expected}`],
        ['duplicate deliveries', burst.duplicates, backlog.duplicates],
        ['conversions committed in', ms(burstEnd - burstStart), '(one statement)'],
        ['last message delivered after start', ms(drained - burstStart), ms(backlogDone - committed)],
        ['lag from commit: p50', ms(burst.p50), ms(backlog.p50)],
        ['lag from commit: p95', ms(burst.p95), ms(backlog.p95)],
        ['lag from commit: p99', ms(burst.p99), ms(backlog.p99)],
        ['lag from commit: max', ms(burst.max), ms(backlog.max)],
        ['delivered within 5 s of commit', `${burst.within5s.toFixed(1)} %`, `${backlog.within5s.toFixed(1)} %`],
        ['lag from postback sent: p50 / p95', `${ms(burst.sentP50)} / ${ms(burst.sentP95)}`, '-'],
      ],
    );
  } finally {
    await tracker.stop();
    await db.drop();
    agent.destroy();
    for (const s of servers) {
      s.closeAllConnections();
      s.close();
    }
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`delivery-lag: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
