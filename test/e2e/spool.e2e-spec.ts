import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { created } from '../support/conversion-world';
import { TcpProxy } from '../support/tcp-proxy';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * SPEC §4 and §6 (issue 15): with a database server that cannot be reached, clicks are still
 * redirected and pixels still answered, each kept in the local spool (fsynced before the answer)
 * and written once, in order, when the database is back. The outage is a TCP proxy between the
 * tracker and the server being cut: every connection reset, new ones refused.
 */
describe(
  'the spool: clicks and pixels while the database is away',
  { skip: !process.env.DATABASE_URL && 'needs a database server (DATABASE_URL): the embedded database cannot go away alone' },
  () => {
    let t: TestApp;
    let proxy: TcpProxy;
    let key: string;

    before(async () => {
      const target = new URL(process.env.DATABASE_URL!);
      proxy = await TcpProxy.start(target.hostname, Number(target.port || 5432));
      t = await startTestApp({ DB_POOL_SIZE: '6' }, { databaseVia: (url) => proxy.via(url) });
      const offer = await created(t, '/offers', {
        name: 'o',
        url: 'https://offer.example/?sub={click_id}',
        payout: { type: 'fixed', amount: '3', currency: 'USD' },
      });
      key = `spool-${Date.now().toString(36)}`;
      await created(t, '/campaigns', { key, name: 'spool', destinations: [{ offerId: offer.id }] });
    });
    after(async () => {
      await proxy?.restore();
      await t?.close();
      await proxy?.close();
    });

    it('redirects and answers during the outage, and writes everything once when it is back', async () => {
      // Warm: the route is cached, so the redirect needs nothing from the database.
      assert.equal((await t.http().get(`/c/${key}`)).status, 302);
      await proxy.cut();

      const clicks: string[] = [];
      for (let i = 0; i < 30; i++) {
        const r = await t.http().get(`/c/${key}?n=${i}`);
        assert.equal(r.status, 302, `click ${i} during the outage: ${r.status} ${r.text}`);
        clicks.push(new URL(r.headers.location).searchParams.get('sub')!);
      }
      for (const id of clicks.slice(0, 10)) {
        const r = await t.http().get(`/a.gif?h=${id}&c=lead`);
        assert.equal(r.status, 200);
        assert.equal(r.headers['content-type'], 'image/gif');
      }
      // A postback's sender retries: it gets a 503 with Retry-After, never a 500, and nothing is spooled for it.
      const postback = await t.http().get(`/postback?clickid=${clicks[20]}&txid=OUTAGE-1`);
      assert.equal(postback.status, 503, postback.text);
      assert.ok(postback.headers['retry-after']);
      const down = await t.http().get('/health');
      assert.equal(down.status, 503);
      assert.deepEqual(down.body, { status: 'error', db: 'down', spool: 40 });
      const metrics = await t.http().get('/metrics');
      assert.match(metrics.text, /tracker_spool_rows\{channel="clicks"\} 30/);
      assert.match(metrics.text, /tracker_spool_rows\{channel="pixels"\} 10/);

      await proxy.restore();
      const deadline = Date.now() + 60_000;
      let health = await t.http().get('/health');
      while ((health.status !== 200 || health.body.spool !== undefined) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 250));
        health = await t.http().get('/health');
      }
      assert.deepEqual([health.status, health.body], [200, { status: 'ok', db: 'up' }], 'drained within 60 s');

      const visits: { id: string }[] = await t.db.query(`SELECT id FROM visits WHERE id = ANY($1) ORDER BY id`, [clicks]);
      assert.deepEqual(
        visits.map((v) => v.id),
        [...clicks].sort(),
        'every redirected click is a visit, once',
      );
      const conversions: { click_id: string; visit_id: string | null }[] = await t.db.query(
        `SELECT click_id, visit_id FROM conversions WHERE click_id = ANY($1)`,
        [clicks],
      );
      assert.equal(conversions.length, 10, 'every pixel is a conversion, once');
      assert.ok(
        conversions.every((c) => c.visit_id === c.click_id),
        'attributed: the clicks were written before the pixels',
      );
      const logged: { n: number }[] = await t.db.query(`SELECT count(*)::int AS n FROM postbacks WHERE endpoint = 'pixel'`);
      assert.equal(logged[0].n, 10);

      // After the outage, clicks go straight to the database again.
      const after = await t.http().get(`/c/${key}?n=after`);
      assert.equal(after.status, 302);
      const id = new URL(after.headers.location).searchParams.get('sub')!;
      assert.equal((await t.db.query(`SELECT 1 FROM visits WHERE id = $1`, [id])).length, 1);
    });
  },
);
