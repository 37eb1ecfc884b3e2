import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { RouteCache } from '../../src/modules/clicks/route.cache';
import { VisitWriter } from '../../src/modules/clicks/visit.writer';
import { startTestApp, TestApp } from '../support/test-app';
import { CHROME_MAC, click, ClickSetup, setupCampaign, visitCount } from './clicks.fixtures';

/** The connection string of the database `t` runs on (a real server's, or its embedded one's socket). */
function databaseUrlOf(t: TestApp): string {
  const o = t.db.options as { url?: string; host?: string; port?: number };
  return o.url ?? `postgres://postgres:postgres@${o.host}:${o.port}/postgres`;
}

/** A click over a real socket; answers the status and the click id in aff_sub. */
async function fetchClick(base: string, path: string, ip: string): Promise<{ status: number; id: string | null }> {
  const r = await fetch(base + path, { redirect: 'manual', headers: { 'user-agent': CHROME_MAC, 'x-forwarded-for': ip } });
  await r.arrayBuffer();
  const m = /[?&]aff_sub=([0-9a-f]{24})/.exec(r.headers.get('location') ?? '');
  return { status: r.status, id: m ? m[1] : null };
}

async function inParallel<T>(n: number, width: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await fn(i);
      }
    }),
  );
  return out;
}

async function existing(t: TestApp, ids: string[]): Promise<number> {
  const [row] = await t.db.query(`SELECT count(*)::int AS n FROM visits WHERE id = ANY($1::text[])`, [ids]);
  return row.n;
}

describe('clicks: two processes on one database', () => {
  let a: TestApp;
  let b: TestApp;
  let s: ClickSetup;
  before(async () => {
    // The embedded server takes pool + 4 connections: the second app must fit in what is left.
    a = await startTestApp({ DB_POOL_SIZE: '8' });
    b = await startTestApp({ DATABASE_URL: databaseUrlOf(a), DB_POOL_SIZE: '4', OUTBOX_ENABLED: 'false' });
    s = await setupCampaign(a, 'shared-1');
    await b.app.get(RouteCache).poll();
  });
  after(async () => {
    await b?.close();
    await a?.close();
  });

  it('mints ids that never collide, and writes every acknowledged click', async () => {
    const per = 300;
    const [fromA, fromB] = await Promise.all(
      [a, b].map((t, n) => inParallel(per, 20, (i) => fetchClick(t.url, `/c/shared-1?utm_source=${n}-${i}`, `10.1.${n}.${i % 250}`))),
    );
    const all = [...fromA, ...fromB];
    assert.ok(
      all.every((c) => c.status === 302 && c.id),
      'every click redirected with an id',
    );
    const ids = all.map((c) => c.id!);
    assert.equal(new Set(ids).size, ids.length, 'no id twice');
    assert.equal(await existing(a, ids), ids.length, 'every acknowledged click is stored');
    assert.equal(await visitCount(a, s.camp.id), ids.length);
  });

  it('sees a change made by the other process: at once after a check, and within 5 s by itself', async () => {
    const offer = (await a.http().post('/api/v1/offers').set(a.auth).send({ name: 'moved', url: 'https://moved.example/?aff_sub={click_id}' })).body;
    await a
      .http()
      .patch(`/api/v1/campaigns/${s.camp.id}`)
      .set(a.auth)
      .send({ destinations: [{ offerId: offer.id }] })
      .expect(200);
    assert.equal(new URL((await click(a, '/c/shared-1')).location).host, 'moved.example', 'the same process sees it at once');
    await b.app.get(RouteCache).poll();
    assert.equal(new URL((await click(b, '/c/shared-1')).location).host, 'moved.example', 'the other process after its check');

    await a.http().patch(`/api/v1/offers/${offer.id}`).set(a.auth).send({ url: 'https://moved-again.example/?aff_sub={click_id}' }).expect(200);
    const deadline = Date.now() + 5_000;
    let host = '';
    while (Date.now() < deadline && host !== 'moved-again.example') {
      host = new URL((await click(b, '/c/shared-1')).location).host;
      if (host !== 'moved-again.example') await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(host, 'moved-again.example', 'seen by the other process within 5 s');
  });
});

describe('clicks: database down, queue bound, shutdown', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ DB_POOL_SIZE: '8' });
    await setupCampaign(t, 'durable-1');
  });
  after(() => t.close());

  it('while the database is down: 503 on the embedded database, the spool on a server; redirects again once it is back', async () => {
    assert.equal((await click(t, '/c/durable-1')).status, 302);
    const spooled = t.config.databaseUrl !== null;
    await t.db.destroy();
    let downId: string | null = null;
    try {
      const down = await click(t, '/c/durable-1');
      if (spooled) {
        // SPEC §4: with a database server, the visit goes to the local spool and the visitor on.
        assert.equal(down.status, 302);
        downId = down.id;
      } else {
        assert.equal(down.status, 503);
        assert.equal(down.location, '');
        assert.deepEqual(down.cookies, []);
        assert.match(down.headers['content-type'], /^text\/plain/);
      }
    } finally {
      await t.db.initialize();
    }
    if (downId) {
      const deadline = Date.now() + 10_000;
      while ((await t.http().get('/health')).body.spool !== undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.equal((await t.http().get(`/api/v1/clicks/${downId}`).set(t.auth)).status, 200, 'the spooled click is stored once the database is back');
    }
    const up = await click(t, '/c/durable-1');
    assert.equal(up.status, 302);
    assert.equal((await t.http().get(`/api/v1/clicks/${up.id}`).set(t.auth)).status, 200);
  });

  it('refuses clicks beyond the queue bound with 503, and stores every one it acknowledged', async () => {
    const writer = t.app.get(VisitWriter);
    const config = t.config;
    const bound = config.clickQueueMaxRows;
    config.clickQueueMaxRows = 3;
    try {
      const results = await Promise.all(Array.from({ length: 30 }, (_, i) => fetchClick(t.url, `/c/durable-1?n=${i}`, '10.9.9.9')));
      const ok = results.filter((r) => r.status === 302);
      assert.ok(ok.length >= 3, `some clicks got through (${ok.length})`);
      assert.ok(
        results.some((r) => r.status === 503),
        'some were refused',
      );
      assert.ok(results.every((r) => r.status === 302 || r.status === 503));
      await writer.drain();
      assert.equal(
        await existing(
          t,
          ok.map((r) => r.id!),
        ),
        ok.length,
      );
    } finally {
      config.clickQueueMaxRows = bound;
    }
  });

  it('writes what is in flight before the process stops', async () => {
    const other = await startTestApp({ DATABASE_URL: databaseUrlOf(t), DB_POOL_SIZE: '4', OUTBOX_ENABLED: 'false' });
    await other.app.get(RouteCache).poll();
    const writer = other.app.get(VisitWriter);
    const pending = Array.from({ length: 40 }, (_, i) => fetchClick(other.url, `/c/durable-1?stop=${i}`, `10.8.0.${i}`).catch(() => ({ status: 0, id: null })));
    const deadline = Date.now() + 10_000;
    while (writer.backlog === 0) {
      assert.ok(Date.now() < deadline, 'the clicks reached the writer');
      await tick();
    }
    await other.close();
    const results = await Promise.all(pending);
    const acked = results.filter((r) => r.status === 302).map((r) => r.id!);
    assert.ok(acked.length > 0, 'some clicks were acknowledged before the stop');
    assert.equal(await existing(t, acked), acked.length, 'every acknowledged click is stored');
  });
});
