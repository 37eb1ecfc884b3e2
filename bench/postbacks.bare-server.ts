import { createServer } from 'node:http';
import { Pool } from 'pg';
import { mintId } from '../src/common/ids';

/**
 * The postbacks baseline: node:http answering `GET /postback?clickid=&payout=&txid=` with one
 * awaited single-row INSERT each (no framework, no dedupe, no history, no log). Run as a child
 * process with DATABASE_URL; prints `listening on <url>`.
 */
async function main(): Promise<void> {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  await pool.query(`CREATE TABLE IF NOT EXISTS bare_postbacks (
    id text PRIMARY KEY, created_at timestamptz NOT NULL, click_id text, txid text, payout numeric)`);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method !== 'GET' || url.pathname !== '/postback') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
      return;
    }
    const id = mintId();
    pool
      .query(`INSERT INTO bare_postbacks (id, created_at, click_id, txid, payout) VALUES ($1, $2, $3, $4, $5)`, [
        id,
        new Date(),
        url.searchParams.get('clickid'),
        url.searchParams.get('txid'),
        url.searchParams.get('payout'),
      ])
      .then(() => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'accepted', conversionId: id })))
      .catch(() => res.writeHead(503, { 'content-type': 'text/plain' }).end('database unavailable\n'));
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    const a = server.address();
    process.stdout.write(`listening on http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}\n`);
  });
  process.on('SIGTERM', () => server.close(() => void pool.end().then(() => process.exit(0))));
}

if (require.main === module) void main();
