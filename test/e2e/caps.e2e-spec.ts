import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, TestApp } from '../support/test-app';
import { fieldsOf } from '../support/error-fields';

/** SPEC §3 caps: a capped destination is skipped; all of a path capped goes to the fallback, else 404. */
describe('caps', () => {
  let t: TestApp;
  let capped: string;
  let free: string;
  before(async () => {
    t = await startTestApp();
    const mk = async (name: string, url: string) => (await t.http().post('/api/v1/offers').set(t.auth).send({ name, url })).body.id as string;
    capped = await mk('capped', 'https://capped.example/?c={click_id}');
    free = await mk('free', 'https://free.example/?c={click_id}');
  });
  after(() => t.close());

  const campaign = async (body: object) => {
    const r = await t.http().post('/api/v1/campaigns').set(t.auth).send(body);
    assert.equal(r.status, 201, r.text);
    return r.body as { id: string; key: string; destinations: unknown[] };
  };
  const click = (key: string) => t.http().get(`/c/${key}`).redirects(0);

  it('50 concurrent clicks on a destination capped at 10 send exactly 10 there, the rest to the fallback', async () => {
    const c = await campaign({
      name: 'race',
      fallbackUrl: 'https://fallback.example/',
      destinations: [{ offerId: capped, weight: 100, cap: { clicks: 10, per: 'total' } }],
    });
    assert.deepEqual((c.destinations[0] as { cap: unknown }).cap, { clicks: 10, conversions: null, per: 'total', tz: 'UTC' });
    const answers = await Promise.all(Array.from({ length: 50 }, () => click(c.key)));
    const to = (host: string) => answers.filter((r) => r.status === 302 && String(r.headers.location).startsWith(`https://${host}/`)).length;
    assert.equal(to('capped.example'), 10);
    assert.equal(to('fallback.example'), 40);
    // The shared counter holds them within 5 s (the sync runs every 2 s).
    const deadline = Date.now() + 5_000;
    let shared = 0;
    while (Date.now() < deadline && shared < 10) {
      await new Promise((r) => setTimeout(r, 200));
      const [row] = await t.db.query(`SELECT clicks::int AS clicks FROM cap_counters WHERE cap_key LIKE $1`, [`${c.id}:%`]);
      shared = row?.clicks ?? 0;
    }
    assert.equal(shared, 10);
  });

  it('skips a capped destination and keeps the weights of the others; no fallback: 404', async () => {
    const c = await campaign({
      name: 'split',
      destinations: [
        { offerId: capped, weight: 1000, cap: { clicks: 2, per: 'day', tz: 'Europe/Berlin' } },
        { offerId: free, weight: 1 },
      ],
    });
    const hosts = [];
    for (let i = 0; i < 12; i++) hosts.push(new URL(String((await click(c.key)).headers.location)).host);
    assert.equal(hosts.filter((h) => h === 'capped.example').length, 2);
    assert.equal(hosts.filter((h) => h === 'free.example').length, 10);
    const only = await campaign({ name: 'only', destinations: [{ offerId: capped, cap: { clicks: 1, per: 'total' } }] });
    assert.equal((await click(only.key)).status, 302);
    assert.equal((await click(only.key)).status, 404);
    // HEAD answers what GET would and counts nothing.
    const head = await campaign({ name: 'head', destinations: [{ offerId: capped, cap: { clicks: 1, per: 'total' } }] });
    assert.equal((await t.http().head(`/c/${head.key}`).redirects(0)).status, 302);
    assert.equal((await click(head.key)).status, 302);
  });

  it('refuses a cap it cannot honour, naming the field', async () => {
    const post = (destinations: object[]) => t.http().post('/api/v1/campaigns').set(t.auth).send({ name: 'bad', destinations });
    const per = await post([{ offerId: capped, cap: { clicks: 5, per: 'week' } }]);
    assert.equal(per.status, 400);
    assert.ok(fieldsOf(per.body)['destinations.0.cap.per'], per.text);
    const zone = await post([{ offerId: free }, { offerId: free, cap: { clicks: 5, per: 'day', tz: 'Mars/Olympus' } }, { offerId: free, cap: { per: 'day' } }]);
    assert.equal(zone.status, 400);
    assert.ok(fieldsOf(zone.body)['destinations.1.cap.tz'] && fieldsOf(zone.body)['destinations.2.cap'], zone.text);
  });
});
