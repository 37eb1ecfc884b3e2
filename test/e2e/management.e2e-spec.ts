import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, TestApp } from '../support/test-app';
import { fieldsOf } from '../support/error-fields';

describe('management API', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  const post = (path: string, body: unknown) =>
    t
      .http()
      .post(`/api/v1${path}`)
      .set(t.auth)
      .send(body as object);

  it('creates, lists with paging, gets, patches and deletes landing pages', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await post('/landing-pages', { name: `lp ${i}`, url: `https://lp.example/${i}?cid={click_id}` });
      assert.equal(r.status, 201, r.text);
      ids.push(r.body.id);
    }
    const first = await t.http().get('/api/v1/landing-pages?limit=2').set(t.auth);
    assert.equal(first.status, 200);
    assert.deepEqual(
      first.body.items.map((x: { id: string }) => x.id),
      [ids[4], ids[3]],
    );
    assert.ok(first.body.nextCursor);
    const second = await t.http().get(`/api/v1/landing-pages?limit=2&cursor=${first.body.nextCursor}`).set(t.auth);
    assert.deepEqual(
      second.body.items.map((x: { id: string }) => x.id),
      [ids[2], ids[1]],
    );
    const third = await t.http().get(`/api/v1/landing-pages?limit=2&cursor=${second.body.nextCursor}`).set(t.auth);
    assert.deepEqual(
      third.body.items.map((x: { id: string }) => x.id),
      [ids[0]],
    );
    assert.equal(third.body.nextCursor, null);

    const patched = await t.http().patch(`/api/v1/landing-pages/${ids[0]}`).set(t.auth).send({ name: 'renamed' });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.name, 'renamed');
    assert.equal((await t.http().get(`/api/v1/landing-pages/${ids[0]}`).set(t.auth)).body.name, 'renamed');
    assert.equal((await t.http().delete(`/api/v1/landing-pages/${ids[0]}`).set(t.auth)).status, 204);
    assert.equal((await t.http().get(`/api/v1/landing-pages/${ids[0]}`).set(t.auth)).status, 404);
  });

  it('refuses macros in the host of a URL', async () => {
    const r = await post('/landing-pages', { name: 'bad', url: 'https://{country}.example/x' });
    assert.equal(r.status, 400);
    assert.equal(r.body.code, 'VALIDATION_FAILED');
    assert.match(r.body.message, /url/);
    const offer = await post('/offers', { name: 'o', url: 'https://ok.example/', links: [{ name: 'l', url: '{click_id}://x' }] });
    assert.equal(offer.status, 400);
    assert.ok(fieldsOf(offer.body)['links.0.url']);
  });

  it('names every bad field, answers 400 for malformed JSON and 404 for unknown ids', async () => {
    const r = await post('/campaigns', { name: 5, destinations: 'x' });
    assert.equal(r.status, 400);
    assert.equal(r.body.code, 'VALIDATION_FAILED');
    assert.ok(fieldsOf(r.body).name && fieldsOf(r.body).destinations, JSON.stringify(r.body));
    const bad = await t.http().post('/api/v1/offers').set(t.auth).set('content-type', 'application/json').send('{"name": ');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 'INVALID_JSON');
    const missing = await t.http().get('/api/v1/campaigns/nope').set(t.auth);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, 'NOT_FOUND');
  });

  it('builds a campaign with a tracking URL and refuses destinations naming unknown ids', async () => {
    const ts = await post('/traffic-sources', { name: 'ts', clickIdParam: 'clickid', costParam: 'cost', params: [{ param: 'utm_source', as: 'source' }] });
    assert.equal(ts.status, 201, ts.text);
    const net = await post('/affiliate-networks', { name: 'net', statusMap: { '1': 'approved' } });
    assert.equal(net.status, 201, net.text);
    const offer = await post('/offers', {
      name: 'offer',
      affiliateNetworkId: net.body.id,
      url: 'https://offer.example/?s={click_id}',
      payout: { type: 'fixed', amount: '12.50', currency: 'EUR' },
      links: [{ name: 'deep', url: 'https://offer.example/deep' }],
    });
    assert.equal(offer.status, 201, offer.text);
    assert.deepEqual(offer.body.payout, { type: 'fixed', amount: 12.5, currency: 'EUR' });
    const camp = await post('/campaigns', {
      key: 'camp-1',
      name: 'c',
      trafficSourceId: ts.body.id,
      cost: { model: 'cpc', amount: '0.05', currency: 'USD' },
      destinations: [{ offerId: offer.body.id, offerLinkId: offer.body.links[0].id, weight: 3 }],
    });
    assert.equal(camp.status, 201, camp.text);
    assert.equal(camp.body.trackingUrl, `${t.url}/c/camp-1?clickid={clickid}&utm_source={utm_source}&cost={cost}`);
    const bad = await post('/campaigns', { name: 'c2', destinations: [{ offerId: 'nope' }, { offerId: offer.body.id, offerLinkId: 'nope' }] });
    assert.equal(bad.status, 400);
    assert.ok(fieldsOf(bad.body)['destinations.0.offerId'] && fieldsOf(bad.body)['destinations.1.offerLinkId'], JSON.stringify(bad.body));
    const dup = await post('/campaigns', { key: 'camp-1', name: 'again', destinations: [] });
    assert.equal(dup.status, 400);
    const generated = await post('/campaigns', { name: 'keyless', destinations: [] });
    assert.match(generated.body.key, /^[A-Za-z0-9_-]{3,64}$/);
    // the offer is used by a campaign: deleting it archives it
    assert.equal((await t.http().delete(`/api/v1/offers/${offer.body.id}`).set(t.auth)).status, 204);
    const archived = await t.http().get(`/api/v1/offers/${offer.body.id}`).set(t.auth);
    assert.equal(archived.status, 200);
    assert.ok(archived.body.archivedAt);
    const listed = await t.http().get('/api/v1/offers').set(t.auth);
    assert.ok(!listed.body.items.some((o: { id: string }) => o.id === offer.body.id));
  });

  it('has the three default conversion types and refuses clashing names', async () => {
    const list = await t.http().get('/api/v1/conversion-types?limit=1000').set(t.auth);
    const byId = Object.fromEntries(list.body.items.map((x: { id: string }) => [x.id, x]));
    assert.deepEqual([byId['1'].code, byId['2'].code, byId['3'].code], ['cps', 'cpl', 'cpi']);
    assert.deepEqual(byId['1'].aliases, ['sale', 'sales']);
    assert.equal(byId['1'].multiplePerClick, false);
    const clash = await post('/conversion-types', { code: 'SALE' });
    assert.equal(clash.status, 400);
    const ok = await post('/conversion-types', { id: 'dep', code: 'deposit', aliases: ['ftd'], multiplePerClick: true });
    assert.equal(ok.status, 201, ok.text);
  });

  it('validates network settings and traffic-source slots', async () => {
    const net = await post('/affiliate-networks', { name: 'n', allowedIps: ['300.1.1.1'], params: { nope: 'x' }, statusMap: { '1': 'maybe' } });
    assert.equal(net.status, 400);
    assert.ok(fieldsOf(net.body).allowedIps && fieldsOf(net.body)['params.nope'] && fieldsOf(net.body)['statusMap.1'], JSON.stringify(net.body));
    const ts = await post('/traffic-sources', {
      name: 'ts',
      params: [
        { param: 'a', as: 'click_id' },
        { param: 'b', as: 'Bad' },
      ],
    });
    assert.equal(ts.status, 400);
    assert.ok(fieldsOf(ts.body)['params.0.as'] && fieldsOf(ts.body)['params.1.as'], JSON.stringify(ts.body));
  });

  it('keeps exchange rates', async () => {
    assert.deepEqual((await t.http().get('/api/v1/exchange-rates').set(t.auth)).body, { base: 'USD', rates: {} });
    const put = await t
      .http()
      .put('/api/v1/exchange-rates')
      .set(t.auth)
      .send({ base: 'USD', rates: { EUR: '0.92', GBP: 0.8 } });
    assert.equal(put.status, 200, put.text);
    assert.deepEqual((await t.http().get('/api/v1/exchange-rates').set(t.auth)).body, { base: 'USD', rates: { EUR: '0.92', GBP: '0.8' } });
    const bad = await t
      .http()
      .put('/api/v1/exchange-rates')
      .set(t.auth)
      .send({ rates: { eur: 'x', JPY: '-1' } });
    assert.equal(bad.status, 400);
  });
});

describe('API keys', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('401 without or with a wrong key; a read key may only GET; a revoked key stops working', async () => {
    assert.equal((await t.http().get('/api/v1/campaigns')).status, 401);
    const wrong = await t.http().get('/api/v1/campaigns').set('authorization', 'Bearer nope');
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.code, 'UNAUTHORIZED');
    const created = await t.http().post('/api/v1/api-keys').set(t.auth).send({ name: 'reader', scope: 'read' });
    assert.equal(created.status, 201);
    const key = created.body.key as string;
    assert.ok(key.length >= 20);
    assert.equal((await t.http().get('/api/v1/campaigns').set('x-api-key', key)).status, 200);
    const write = await t.http().post('/api/v1/landing-pages').set('authorization', `Bearer ${key}`).send({ name: 'x', url: 'https://x.example/' });
    assert.equal(write.status, 403);
    assert.equal(write.body.code, 'FORBIDDEN');
    const listed = await t.http().get(`/api/v1/api-keys/${created.body.id}`).set(t.auth);
    assert.equal(listed.body.key, undefined, 'the plain key is only in the 201 answer');
    const rows = await t.db.query(`SELECT key_hash FROM api_keys WHERE id = $1`, [created.body.id]);
    assert.notEqual(rows[0].key_hash, key);
    assert.equal((await t.http().delete(`/api/v1/api-keys/${created.body.id}`).set(t.auth)).status, 204);
    assert.equal((await t.http().get('/api/v1/campaigns').set('x-api-key', key)).status, 401);
  });
});

describe('operations', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('answers /health, /metrics and the OpenAPI document', async () => {
    assert.deepEqual((await t.http().get('/health')).body, { status: 'ok', db: 'up' });
    await t.http().get('/api/v1/campaigns').set(t.auth);
    const m = await t.http().get('/metrics');
    assert.equal(m.status, 200);
    assert.match(m.text, /http_requests_total\{method="GET",route="\/api\/v1\/campaigns",status="200"\}/);
    assert.match(m.text, /process_cpu_user_seconds_total/);
    const docs = await t.http().get('/api/docs/json');
    assert.equal(docs.status, 200);
    assert.ok(docs.body.paths['/api/v1/campaigns']);
  });

  it('answers 503 on /health when the database is gone', async () => {
    await t.db.destroy();
    const r = await t.http().get('/health');
    assert.equal(r.status, 503);
    assert.equal(r.body.db, 'down');
    await t.db.initialize();
  });
});
