import { createServer, type ServerResponse } from 'node:http';
import { mintId } from '../../src/common/ids';

/** The click's 302 as the bench's baselines send it: Location with two macros filled, the cookie, no-store. */
export function answerClick(res: ServerResponse, id: string, source: string): void {
  res.writeHead(302, {
    location: `https://offer.example/aff_c?offer_id=12&aff_sub=${id}&s2=${encodeURIComponent(source)}`,
    'cache-control': 'no-store',
    'set-cookie': `tt_cid=${id}; Path=/; Max-Age=2592000; SameSite=Lax; HttpOnly`,
  });
  res.end();
}

/**
 * The baseline: node:http answering the click's 302 (id, Location with two macros, cookie,
 * no-store) with nothing else: no framework, no database, no enrichment. Run as a child process
 * (`node dist/bench/lib/bare-server.js`); prints `listening on <url>`.
 */
function main(): void {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method !== 'GET' || !url.pathname.startsWith('/c/')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
      return;
    }
    answerClick(res, mintId(), url.searchParams.get('utm_source') ?? '');
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    const a = server.address();
    process.stdout.write(`listening on http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}\n`);
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

if (require.main === module) main();
