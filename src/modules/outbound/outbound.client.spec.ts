import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { OutboundClient } from './outbound.client';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

describe('OutboundClient', () => {
  const seen: Seen[] = [];
  let server: http.Server;
  let port: number;
  const clients: OutboundClient[] = [];
  const client = (opts: ConstructorParameters<typeof OutboundClient>[0]): OutboundClient => {
    const c = new OutboundClient(opts);
    clients.push(c);
    return c;
  };

  before(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        const path = (req.url ?? '').split('?')[0];
        if (path === '/ok') res.writeHead(200).end('thanks');
        else if (path === '/big') res.writeHead(200).end('x'.repeat(100_000));
        else if (path === '/error') res.writeHead(500).end('boom');
        else if (path === '/redirect') res.writeHead(302, { location: `http://127.0.0.1:${port}/target` }).end();
        else if (path === '/busy') res.writeHead(503, { 'retry-after': '7' }).end();
        else if (path === '/busy-date') res.writeHead(429, { 'retry-after': new Date(Date.now() + 60_000).toUTCString() }).end();
        else if (path === '/hang')
          return; // never answers
        else res.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  after(async () => {
    for (const c of clients) c.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const url = (path: string, host = '127.0.0.1') => `http://${host}:${port}${path}`;

  describe('refusing private addresses', () => {
    for (const host of ['127.0.0.1', 'localhost', '[::ffff:127.0.0.1]', '2130706433', '0x7f.1']) {
      it(`blocks ${host} and never connects`, async () => {
        const before = seen.length;
        const result = await client({ allowPrivate: false }).send({ method: 'GET', url: url('/ok', host) });
        assert.equal(result.outcome, 'blocked');
        assert.equal(result.statusCode, null);
        assert.match(result.error ?? '', /not allowed/);
        assert.equal(seen.length, before);
      });
    }

    it('checks the address resolved at connect time (DNS rebinding)', async () => {
      let calls = 0;
      // Public when the URL was saved, private now.
      const rebinding = async () => (calls++ === 0 ? [{ address: '93.184.216.34', family: 4 }] : [{ address: '127.0.0.1', family: 4 }]);
      const c = client({ allowPrivate: false, resolve: rebinding });
      await rebinding();
      const before = seen.length;
      const result = await c.send({ method: 'GET', url: url('/ok', 'rebind.test') });
      assert.equal(result.outcome, 'blocked');
      assert.equal(seen.length, before);
    });

    it('blocks a name when any address is private', async () => {
      const mixed = async () => [
        { address: '93.184.216.34', family: 4 },
        { address: '127.0.0.1', family: 4 },
      ];
      const result = await client({ allowPrivate: false, resolve: mixed }).send({ method: 'GET', url: url('/ok', 'mixed.test') });
      assert.equal(result.outcome, 'blocked');
      assert.match(result.error ?? '', /127\.0\.0\.1/);
    });

    it('refuses other schemes and user info without connecting', async () => {
      const c = client({ allowPrivate: true });
      for (const bad of ['ftp://127.0.0.1/', `http://u:p@127.0.0.1:${port}/ok`, 'not a url']) {
        assert.equal((await c.send({ method: 'GET', url: bad })).outcome, 'blocked', bad);
      }
    });
  });

  describe('with private addresses allowed', () => {
    const c = () => client({ allowPrivate: true, timeoutMs: 2_000 });

    it('delivers on 2xx and sends method, headers and body', async () => {
      const before = seen.length;
      const result = await c().send({ method: 'POST', url: url('/ok?a=1'), headers: { 'content-type': 'application/json' }, body: '{"é":1}' });
      assert.equal(result.outcome, 'delivered');
      assert.equal(result.statusCode, 200);
      assert.equal(result.responseSnippet, 'thanks');
      assert.equal(result.error, null);
      assert.ok(result.latencyMs >= 0);
      const req = seen.slice(before)[0];
      assert.deepEqual([req.method, req.url, req.body, req.headers['content-type']], ['POST', '/ok?a=1', '{"é":1}', 'application/json']);
    });

    it('resolves names through the guarded lookup', async () => {
      const local = async () => [{ address: '127.0.0.1', family: 4 }];
      const result = await client({ allowPrivate: true, resolve: local }).send({ method: 'GET', url: url('/ok', 'receiver.test') });
      assert.equal(result.outcome, 'delivered');
    });

    it('reuses one client for consecutive sends', async () => {
      const one = c();
      for (let i = 0; i < 3; i += 1) assert.equal((await one.send({ method: 'GET', url: url('/ok') })).outcome, 'delivered');
    });

    it('fails when the name does not resolve', async () => {
      const missing = async () => {
        throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
      };
      const result = await client({ allowPrivate: false, resolve: missing }).send({ method: 'GET', url: url('/ok', 'gone.test') });
      assert.deepEqual([result.outcome, result.error], ['failed', 'ENOTFOUND']);
    });

    it('fails on 5xx', async () => {
      const result = await c().send({ method: 'GET', url: url('/error') });
      assert.deepEqual([result.outcome, result.statusCode, result.responseSnippet], ['failed', 500, 'boom']);
    });

    it('fails on a redirect and does not follow it', async () => {
      const result = await c().send({ method: 'GET', url: url('/redirect') });
      assert.deepEqual([result.outcome, result.statusCode], ['failed', 302]);
      assert.equal(seen.filter((s) => s.url === '/target').length, 0);
    });

    it('reads Retry-After in seconds and as a date', async () => {
      const busy = await c().send({ method: 'GET', url: url('/busy') });
      assert.deepEqual([busy.outcome, busy.statusCode, busy.retryAfterMs], ['failed', 503, 7_000]);
      const dated = await c().send({ method: 'GET', url: url('/busy-date') });
      assert.ok(dated.retryAfterMs !== null && dated.retryAfterMs > 50_000 && dated.retryAfterMs <= 60_000);
    });

    it('fails with timeout when the receiver never answers', async () => {
      const result = await client({ allowPrivate: true, timeoutMs: 150 }).send({ method: 'GET', url: url('/hang') });
      assert.deepEqual([result.outcome, result.error, result.statusCode], ['failed', 'timeout', null]);
    });

    it('keeps only a snippet of a large response', async () => {
      const result = await client({ allowPrivate: true, maxResponseBytes: 10_000 }).send({ method: 'GET', url: url('/big') });
      assert.equal(result.outcome, 'delivered');
      assert.equal(result.responseSnippet?.length, 512);
    });

    it('fails, without sending, when a header value would add a line', async () => {
      const before = seen.length;
      const result = await c().send({ method: 'GET', url: url('/ok'), headers: { 'x-a': 'a\r\nSet-Cookie: b' } });
      assert.equal(result.outcome, 'failed');
      assert.equal(seen.length, before);
    });

    it('fails when nothing listens', async () => {
      const result = await c().send({ method: 'GET', url: 'http://127.0.0.1:9/' });
      assert.equal(result.outcome, 'failed');
      assert.equal(result.error, 'ECONNREFUSED');
    });
  });
});
