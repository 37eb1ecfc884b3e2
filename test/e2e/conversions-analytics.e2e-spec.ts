import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mintId } from '../../src/common/ids';
import { startTestApp, TestApp } from '../support/test-app';
import { clickThrough, conversion, ConversionWorld, insertVisit, makeWorld } from '../support/conversion-world';

const CHROME = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_14_1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.110 Safari/537.36';

describe('conversions in the analytics API', () => {
  let t: TestApp;
  let w: ConversionWorld;
  before(async () => {
    t = await startTestApp();
    w = await makeWorld(t);
  });
  after(() => t.close());

  it('GET /conversions/:id has the SPEC §8 shape', async () => {
    const click = await clickThrough(t, w, '?utm_source=blog&clickid=TS-1');
    const r = await t
      .http()
      .get(`/postback?aff_sub=${click}&payout=92.4&txid=SH-1&token=not-needed-here`)
      .set('user-agent', CHROME)
      .set('x-forwarded-for', '8.8.8.8')
      .set('accept-language', 'en-US,en;q=0.9')
      .set('referer', 'https://network.example/panel?api_key=zzz');
    assert.equal(r.body.status, 'accepted', r.text);
    const c = await conversion(t, r.body.conversionId);
    assert.equal(c.id, r.body.conversionId);
    assert.equal(c.type, 'conversion');
    assert.equal(c.visitEvent.id, click);
    assert.equal(c.visitEvent.type, 'visit');
    assert.equal(c.visitEvent.payload.query.clickid, 'TS-1');
    assert.equal(c.visitEvent.payload.remaped.source, 'blog');
    assert.equal(c.visitEvent.payload.data.cost, 0.05);
    assert.equal(c.visitEvent.payload.data.costCents, 5);
    assert.equal(typeof c.visitEvent.created_at, 'string');
    assert.ok(c.visitEvent.client && 'ua' in c.visitEvent.client, 'visitEvent.client');
    assert.ok(c.visitEvent.geo && 'country' in c.visitEvent.geo, 'visitEvent.geo');
    const offer = (await t.http().get(`/api/v1/offers/${w.offerId}`).set(t.auth)).body;
    const camp = (await t.http().get(`/api/v1/campaigns/${w.campaignId}`).set(t.auth)).body;
    const ts = (await t.http().get(`/api/v1/traffic-sources/${w.trafficSourceId}`).set(t.auth)).body;
    const net = (await t.http().get(`/api/v1/affiliate-networks/${w.networkId}`).set(t.auth)).body;
    assert.deepEqual(c.destination, {
      campaign: { id: camp.id, name: camp.name },
      category: 'REFERRAL',
      // The URL the visitor was sent to (the redirect's Location), not the template.
      url: offer.links[0].url.replace('{click_id}', click),
      trafficSource: { id: ts.id, name: ts.name },
      affiliateNetwork: { id: net.id, name: net.name },
      offer: { id: offer.id, name: offer.name },
      offerLink: { id: offer.links[0].id, name: offer.links[0].name },
      landingPage: null,
    });
    assert.equal(c.source.method, 'GET');
    assert.ok(c.source.url.startsWith('/postback?'), c.source.url);
    assert.ok(!c.source.url.includes('not-needed-here') && c.source.url.includes('token=[redacted]'), c.source.url);
    assert.ok(!c.source.referer.includes('zzz'), c.source.referer);
    assert.equal(c.source.protocol, 'http');
    assert.ok(c.source.host);
    assert.equal(c.client.ip, '8.8.8.8');
    assert.equal(c.client.forwardedFor, '8.8.8.8');
    assert.equal(c.client.agent.family, 'Chrome');
    assert.equal(c.client.agent.major, '70');
    assert.match(c.client.os.family, /Mac/);
    for (const k of ['ip', 'forwardedFor', 'ua', 'agent', 'os', 'device', 'mobile', 'bot', 'lang']) assert.ok(k in c.client, `client.${k}`);
    assert.equal(c.client.lang, 'en-US,en;q=0.9');
    assert.equal(c.geo.country, 'US');
    for (const k of ['country', 'geoname_id', 'region', 'city', 'tz']) assert.ok(k in c.geo, `geo.${k}`);
    assert.deepEqual(c.payload, { data: { conversion_type: 'cps', conversion_id: '1', payout: 92.4, cost: 0.05, costCents: 5, payoutCents: 9240 } });
    assert.match(c.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(c.created_at, new Date(parseInt(c.id.slice(0, 12), 16)).toISOString());
    assert.equal(c.status, 'approved');
    assert.equal(c.currency, 'USD');
    assert.equal(c.transactionId, 'SH-1');
    assert.equal(c.history.length, 1);
    assert.deepEqual(Object.keys(c.history[0]).sort(), [
      'actor',
      'createdAt',
      'currency',
      'note',
      'payout',
      'postbackId',
      'reportedAmount',
      'sequenceNumber',
      'source',
      'status',
    ]);
    assert.equal(c.history[0].payout, 92.4);
  });

  it('an unattributed conversion has visitEvent null and an empty destination', async () => {
    const r = await t.http().get(`/postback?clickid=${mintId()}&payout=1.5&currency=EUR`);
    const c = await conversion(t, r.body.conversionId);
    assert.equal(c.visitEvent, null);
    assert.equal(c.destination.campaign, null);
    assert.equal(c.destination.affiliateNetwork, null);
    assert.deepEqual(c.payload.data, { conversion_type: 'cps', conversion_id: '1', payout: 1.5, cost: 0, costCents: 0, payoutCents: 150 });
    assert.equal(c.currency, 'EUR');
  });

  it('GET /conversions lists newest first, filters and pages', async () => {
    const other = await makeWorld(t);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const click = await insertVisit(t, i % 2 ? other : w);
      const status = ['approved', 'pending', 'declined'][i % 3];
      ids.push((await t.http().get(`/postback?clickid=${click}&payout=${i + 1}&txid=LIST-${i}&status=${status}`)).body.conversionId);
    }
    const all = await t.http().get(`/api/v1/conversions?limit=1000&campaignId=${other.campaignId}`).set(t.auth);
    assert.equal(all.status, 200);
    assert.deepEqual(
      all.body.items.map((c: { id: string }) => c.id),
      [ids[3], ids[1]],
    );
    const pending = await t.http().get(`/api/v1/conversions?status=pending&limit=1000`).set(t.auth);
    assert.ok(pending.body.items.every((c: { status: string }) => c.status === 'pending'));
    assert.ok(pending.body.items.some((c: { id: string }) => c.id === ids[1]));
    for (const [name, value] of [
      ['offerId', other.offerId],
      ['affiliateNetworkId', other.networkId],
      ['trafficSourceId', other.trafficSourceId],
    ]) {
      const f = await t.http().get(`/api/v1/conversions?${name}=${value}`).set(t.auth);
      assert.deepEqual(
        f.body.items.map((c: { id: string }) => c.id),
        [ids[3], ids[1]],
        name,
      );
    }
    const from = new Date(parseInt(ids[0].slice(0, 12), 16)).toISOString();
    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; text: string; body: { items: { id: string }[]; nextCursor: string | null } } = await t
        .http()
        .get(`/api/v1/conversions?limit=2&from=${from}${cursor ? `&cursor=${cursor}` : ''}`)
        .set(t.auth);
      assert.equal(page.status, 200, page.text);
      assert.ok(page.body.items.length <= 2);
      pages.push(...page.body.items.map((c: { id: string }) => c.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    assert.deepEqual(pages, [...ids].reverse());
    const to = new Date(parseInt(ids[2].slice(0, 12), 16)).toISOString();
    const until = await t.http().get(`/api/v1/conversions?from=${from}&to=${to}`).set(t.auth);
    assert.ok(!until.body.items.some((c: { id: string }) => c.id === ids[4]));
    assert.ok(until.body.items.some((c: { id: string }) => c.id === ids[0]));
  });

  it('refuses bad filters and unknown ids, and needs a key', async () => {
    assert.equal((await t.http().get('/api/v1/conversions?status=maybe').set(t.auth)).status, 400);
    assert.equal((await t.http().get('/api/v1/conversions?limit=0').set(t.auth)).status, 400);
    const missing = await t.http().get(`/api/v1/conversions/${mintId()}`).set(t.auth);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, 'NOT_FOUND');
    assert.equal((await t.http().get('/api/v1/conversions')).status, 401);
  });
});
