// Upload benchmark (not a test: it prints). npm run bench:upload   (builds first)
// A tracker process on a fresh PostgreSQL database with 50,000 recorded clicks; three uploads of
// 50,000 CSV rows, each row a new transaction on its own click (so each creates a conversion, its
// history row, inbound log entry, and outbox check), then one upload repeating the last one (all
// duplicates). Prints rows/s per upload and the median of the three, and checks the row counts.
// Environment: DATABASE_URL (admin connection; default postgres://postgres@127.0.0.1:5432/postgres).
import { performance } from 'node:perf_hooks';
import { createBenchDatabase } from './lib/database';
import { loadAverage } from './lib/machine-load';
import { startTracker } from './lib/tracker';
import { seedClicks } from './postbacks.bench';

const ROWS = 50_000;
const RUNS = 3;

async function main(): Promise<void> {
  const db = await createBenchDatabase(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  try {
    const tracker = await startTracker(db.url);
    try {
      const ts = await tracker.api('POST', '/traffic-sources', { name: 'bench source', clickIdParam: 'clickid' });
      const offer = await tracker.api('POST', '/offers', {
        name: 'bench offer',
        url: 'https://offer.example/?s={click_id}',
        payout: { type: 'dynamic', amount: '10', currency: 'USD' },
      });
      const camp = await tracker.api('POST', '/campaigns', {
        key: 'bench-upload',
        name: 'bench',
        trafficSourceId: ts.id,
        destinations: [{ offerId: offer.id, weight: 1 }],
      });
      const clicks = await seedClicks(db, { id: camp.id, trafficSourceId: ts.id, offerId: offer.id }, ROWS);

      const csvOf = (run: string) =>
        ['clickId,transactionId,payout,currency,status', ...clicks.map((c, i) => `${c},${run}-${i},${(i % 97) + 0.5},USD,approved`)].join('\n') + '\n';
      const upload = async (label: string, csv: string) => {
        const load = loadAverage();
        const t0 = performance.now();
        const r = await fetch(`${tracker.url}/api/v1/conversions/upload`, {
          method: 'POST',
          headers: { authorization: `Bearer ${tracker.adminKey}`, 'content-type': 'text/csv' },
          body: csv,
        });
        const seconds = (performance.now() - t0) / 1000;
        const body = (await r.json()) as Record<string, number>;
        if (r.status !== 200) throw new Error(`upload answered ${r.status}: ${JSON.stringify(body).slice(0, 300)}`);
        const rate = ROWS / seconds;
        console.log(
          `${label}: ${ROWS.toLocaleString('en')} rows in ${seconds.toFixed(1)} s = ${Math.round(rate).toLocaleString('en')} rows/s ` +
            `(accepted ${body.accepted}, duplicate ${body.duplicate}, rejected ${body.rejected}; load average before ${load.toFixed(2)})`,
        );
        return { rate, body };
      };

      const rates: number[] = [];
      for (let run = 1; run <= RUNS; run++) {
        const { rate, body } = await upload(`new rows, run ${run}`, csvOf(`r${run}`));
        if (body.accepted !== ROWS) throw new Error(`run ${run}: ${body.accepted} of ${ROWS} rows accepted`);
        rates.push(rate);
      }
      const dup = await upload('the last upload again (all duplicates)', csvOf(`r${RUNS}`));
      if (dup.body.duplicate !== ROWS) throw new Error(`${dup.body.duplicate} of ${ROWS} rows were duplicates`);
      const sorted = [...rates].sort((a, b) => a - b);
      console.log(
        `median of ${RUNS} uploads of new rows: ${Math.round(sorted[1]).toLocaleString('en')} rows/s ` +
          `(spread ${Math.round(sorted[0]).toLocaleString('en')} - ${Math.round(sorted[RUNS - 1]).toLocaleString('en')})`,
      );
      const [counts] = await db.query<{ conversions: number; logged: number }>(
        `SELECT (SELECT count(*)::int FROM conversions) AS conversions, (SELECT count(*)::int FROM postbacks WHERE endpoint = 'upload') AS logged`,
      );
      console.log(
        `rows: ${counts.conversions.toLocaleString('en')} conversions, ${counts.logged.toLocaleString('en')} upload log entries (expected ${(RUNS * ROWS).toLocaleString('en')} and ${((RUNS + 1) * ROWS).toLocaleString('en')})`,
      );
    } finally {
      await tracker.stop();
    }
  } finally {
    await db.drop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
