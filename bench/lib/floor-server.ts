import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Pool } from 'pg';
import { mintId } from '../../src/common/ids';
import { assignId, type VisitRecord } from '../../src/modules/clicks/visit.record';
import { answerClick } from './bare-server';

/**
 * The durable floor of a click (issue 14): node:http answering the click's 302 only once the
 * visit is committed, written exactly as the tracker writes it and nothing else. The visits are
 * the tracker's own: the bench records one visit per distinct request through a tracker first and
 * hands them over (FLOOR_VISITS, a JSON file keyed by the request's `utm_content`), so the rows
 * are as wide as the tracker's. Per request this server only copies its visit, gives it a fresh
 * id and time, and queues it; the queue is written as the tracker's `VisitWriter` does (one
 * `click_insert_visits` batch in flight, the next gathering meanwhile), and the queued batches are
 * folded into the report rollups every second (`report_fold_pending()`, as `RollupFolder`).
 * No framework, no routing, no enrichment, no rules, caps or metrics: what is left is the
 * database's work and the least a process must do to hand it the rows. No tracker can beat it on
 * the same machine while writing the same rows the same way.
 *
 * Run as a child process with DATABASE_URL and FLOOR_VISITS; prints `listening on <url>`. For
 * studying the database's share (not used by `npm run bench`): FLOOR_SQL replaces the batch
 * statement (its $1 the batch as JSON, answering the ids written as `id`), FLOOR_FOLD=0 leaves the
 * rollups unfolded.
 */
const BATCH_SQL = process.env.FLOOR_SQL || `SELECT t.written_id AS id FROM click_insert_visits($1::json) AS t`;

interface Pending {
  record: VisitRecord;
  done(ok: boolean): void;
}

async function main(): Promise<void> {
  const visits = new Map<string, VisitRecord>(Object.entries(JSON.parse(readFileSync(process.env.FLOOR_VISITS!, 'utf8'))));
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
  let queue: Pending[] = [];
  let writing = false;
  let scheduled = false;

  const pump = (): void => {
    if (writing || queue.length === 0) return;
    const batch = queue.length <= 1000 ? queue : queue.slice(0, 1000);
    queue = batch === queue ? [] : queue.slice(batch.length);
    writing = true;
    pool
      .query(BATCH_SQL, [JSON.stringify(batch.map((p) => p.record))])
      .then(
        (r) => {
          const written = new Set((r.rows as { id: string }[]).map((x) => x.id));
          for (const p of batch) p.done(written.has(p.record.id));
        },
        () => {
          for (const p of batch) p.done(false);
        },
      )
      .finally(() => {
        writing = false;
        pump();
      });
  };

  const folder = setInterval(() => {
    if (process.env.FLOOR_FOLD !== '0') void pool.query(`SELECT report_fold_pending()`).catch(() => undefined);
  }, 1000);

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const template = url.pathname.startsWith('/c/') ? visits.get(url.searchParams.get('utm_content') ?? '') : undefined;
    if (req.method !== 'GET' || !template) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
      return;
    }
    const record: VisitRecord = { ...template, remaped: { ...template.remaped } };
    const id = mintId();
    assignId(record, id);
    queue.push({
      record,
      done(ok) {
        if (!ok) {
          res.writeHead(503, { 'content-type': 'text/plain' }).end('not recorded\n');
          return;
        }
        answerClick(res, id, url.searchParams.get('utm_source') ?? '');
      },
    });
    if (!scheduled && !writing) {
      scheduled = true;
      // The next turn of the event loop: the requests parsed in this one join the same batch.
      setImmediate(() => {
        scheduled = false;
        pump();
      });
    }
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    const a = server.address();
    process.stdout.write(`listening on http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}\n`);
  });
  process.on('SIGTERM', () =>
    server.close(() => {
      clearInterval(folder);
      void pool.end().then(() => process.exit(0));
    }),
  );
}

if (require.main === module) void main();
