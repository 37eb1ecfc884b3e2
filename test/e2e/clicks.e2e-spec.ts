import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mintId } from '../../src/common/ids';
import { VisitWriter } from '../../src/modules/clicks/visit.writer';
import { startTestApp, TestApp } from '../support/test-app';
import { click, ClickSetup, created, FIREFOX_WIN, GOOGLEBOT, setupCampaign, visitCount } from './clicks.fixtures';
import { fieldsOf } from '../support/error-fields';

const ID24 = /^[0-9a-f]{24}$/;

describe('clicks: redirect and visit', () => {
  let t: TestApp;
  let s: ClickSetup;
  before(async () => {
    t = await startTestApp();
    s = await setupCampaign(t, 'blog-drip');
  });
  after(() => t.close());

  it('answers 302 to the offer with the click id, the cookie and no-store; the visit can be read at once', async () => {
    const before = Date.now();
    const c = await click(t, '/c/blog-drip?utm_source=blog&utm_medium=review&utm_content=review&url=&clickid=TS-1');
    assert.equal(c.status, 302, c.text);
    const u = new URL(c.location);
    assert.equal(u.origin, 'https://offer.example');
    assert.equal(u.pathname, '/aff_c');
    assert.equal(u.searchParams.get('offer_id'), '12');
    assert.equal(u.searchParams.get('s2'), 'blog');
    assert.match(c.id ?? '', ID24);
    const ms = parseInt(c.id!.slice(0, 12), 16);
    assert.ok(ms >= before - 5 && ms <= Date.now() + 5, `id time ${ms} within the request`);
    assert.equal(c.headers['cache-control'], 'no-store');
    assert.deepEqual(c.cookies, [`tt_cid=${c.id}; Path=/; Max-Age=2592000; SameSite=Lax; HttpOnly`]);

    const r = await t.http().get(`/api/v1/clicks/${c.id}`).set(t.auth);
    assert.equal(r.status, 200, r.text);
    const v = r.body;
    assert.equal(v.id, c.id);
    assert.equal(v.type, 'visit');
    assert.equal(v.created_at, new Date(ms).toISOString());
    assert.deepEqual(v.payload.query, { utm_source: 'blog', utm_medium: 'review', utm_content: 'review', url: '', clickid: 'TS-1' });
    assert.deepEqual(v.payload.remaped, { event_id: c.id, source: 'blog', var_2: 'review', target: 'review', var_7: '' });
    assert.equal(v.payload.data.cost, 0.05);
    assert.equal(v.payload.data.costCents, 5);
    assert.equal(v.payload.data.currency, 'USD');
    assert.equal(v.externalId, 'TS-1');
    assert.equal(v.campaignId, s.camp.id);
    assert.equal(v.offerId, s.offer.id);
    assert.equal(v.trafficSourceId, s.ts.id);
    assert.equal(v.offerLinkId, null);
    assert.equal(v.landingPageId, null);
    assert.equal(v.unique, true);
    assert.deepEqual(v.client.agent, { family: 'Chrome', major: '70', minor: '0', patch: '3538' });
    assert.match(v.client.os.family, /Mac/);
    assert.equal(v.client.bot, false);
    assert.equal(v.client.mobile, false);
    assert.equal(v.client.ip, '8.8.8.8');
    assert.equal(v.client.forwardedFor, '8.8.8.8');
    assert.equal(v.client.lang, 'en-US,en;q=0.9');
    assert.equal(v.geo.country, 'US');
    assert.equal(v.geo.geoname_id, 6252001);
    assert.ok('region' in v.geo && 'city' in v.geo && 'tz' in v.geo);
    assert.equal(v.source.method, 'GET');
    assert.equal(v.source.url, '/c/blog-drip?utm_source=blog&utm_medium=review&utm_content=review&url=&clickid=TS-1');
    assert.equal(v.source.protocol, 'http');
  });

  it('sets Secure on the cookie when a trusted proxy says the request came over https', async () => {
    const c = await click(t, '/c/blog-drip', { headers: { 'x-forwarded-proto': 'https' } });
    assert.equal(c.status, 302);
    assert.deepEqual(c.cookies, [`tt_cid=${c.id}; Path=/; Max-Age=2592000; SameSite=Lax; HttpOnly; Secure`]);
    const v = (await t.http().get(`/api/v1/clicks/${c.id}`).set(t.auth)).body;
    assert.equal(v.source.protocol, 'https');
  });

  it('answers HEAD like GET with an empty click id, and records nothing', async () => {
    const n = await visitCount(t, s.camp.id);
    const r = await click(t, '/c/blog-drip?utm_source=head', { method: 'head' });
    assert.equal(r.status, 302);
    assert.equal(r.location, 'https://offer.example/aff_c?offer_id=12&aff_sub=&s2=head');
    assert.deepEqual(r.cookies, []);
    assert.equal(r.headers['cache-control'], 'no-store');
    const bare = await click(t, '/c/blog-drip', { method: 'head' });
    assert.equal(bare.location, 'https://offer.example/aff_c?offer_id=12&aff_sub=&s2=', 'a slot with no value renders empty');
    assert.equal((await click(t, '/c/nope-nope', { method: 'head' })).status, 404);
    assert.equal(await visitCount(t, s.camp.id), n);
  });

  it('flags bots and still records and redirects them', async () => {
    const c = await click(t, '/c/blog-drip', { ua: GOOGLEBOT });
    assert.equal(c.status, 302);
    const v = (await t.http().get(`/api/v1/clicks/${c.id}`).set(t.auth)).body;
    assert.equal(v.client.bot, true);
    assert.deepEqual(v.payload.remaped, { event_id: c.id });
    assert.equal(c.location, `https://offer.example/aff_c?offer_id=12&aff_sub=${c.id}&s2=`);
  });

  it('answers an unknown key with 404 plain text, or FALLBACK_URL when set', async () => {
    const r = await click(t, '/c/no-such-key');
    assert.equal(r.status, 404);
    assert.equal(r.location, '');
    assert.match(r.headers['content-type'], /^text\/plain/);
    assert.ok(r.text.length > 0 && r.text.length < 200);
    t.config.fallbackUrl = 'https://fallback.example/home';
    try {
      const f = await click(t, '/c/no-such-key?x=1');
      assert.equal(f.status, 302);
      assert.equal(f.location, 'https://fallback.example/home');
      assert.deepEqual(f.cookies, []);
    } finally {
      t.config.fallbackUrl = null;
    }
  });

  it('answers a paused or archived campaign with its fallbackUrl, else 404, recording nothing', async () => {
    const camp = await created(t, '/campaigns', { key: 'paused-1', name: 'p', status: 'paused', destinations: [{ offerId: s.offer.id }] });
    assert.equal((await click(t, '/c/paused-1')).status, 404);
    await t.http().patch(`/api/v1/campaigns/${camp.id}`).set(t.auth).send({ fallbackUrl: 'https://paused.example/' }).expect(200);
    const r = await click(t, '/c/paused-1');
    assert.equal(r.status, 302);
    assert.equal(r.location, 'https://paused.example/');
    await t.http().patch(`/api/v1/campaigns/${camp.id}`).set(t.auth).send({ status: 'archived' }).expect(200);
    assert.equal((await click(t, '/c/paused-1')).location, 'https://paused.example/');
    await t.http().patch(`/api/v1/campaigns/${camp.id}`).set(t.auth).send({ status: 'active' }).expect(200);
    const active = await click(t, '/c/paused-1');
    assert.equal(new URL(active.location).host, 'offer.example');
    assert.equal(await visitCount(t, camp.id), 1);
  });

  it('is not an open redirect: hostile values are encoded where they land', async () => {
    const hostile = ['a&payout=9', '//evil.example', 'x\r\nSet-Cookie: a=b', '%2F%2Fevil', 'https://evil.example/', '../../x', 'x'.repeat(10_000), 'é€😀'];
    for (const value of hostile) {
      const c = await click(t, `/c/blog-drip?utm_source=${encodeURIComponent(value)}&redirect=https://evil.example/&to=//evil.example`);
      assert.equal(c.status, 302, value.slice(0, 40));
      const u = new URL(c.location);
      assert.equal(u.origin, 'https://offer.example');
      assert.equal(u.pathname, '/aff_c');
      assert.deepEqual([...u.searchParams.keys()], ['offer_id', 'aff_sub', 's2']);
      assert.equal(u.searchParams.get('s2'), value);
      assert.equal(c.cookies.length, 1);
    }
  });

  it('encodes values placed in the path and leaves unknown macros as written', async () => {
    const offer = await created(t, '/offers', {
      name: 'path',
      url: 'https://path.example/go/{source}/{nope}/{target}?c={campaign_key}&k={campaign_id}&o={offer_id}&t={traffic_source_id}&e={external_id}&g={country}&s={subid}&v={event_id}',
    });
    const camp = await created(t, '/campaigns', { key: 'path-1', name: 'path', trafficSourceId: s.ts.id, destinations: [{ offerId: offer.id }] });
    const c = await click(t, '/c/path-1?utm_source=..%2F..%2Fadmin&clickid=ext%2F1', { param: 's' });
    assert.equal(c.status, 302);
    assert.equal(
      c.location,
      `https://path.example/go/..%2F..%2Fadmin/{nope}/?c=path-1&k=${camp.id}&o=${offer.id}&t=${s.ts.id}&e=ext%2F1&g=US&s=${c.id}&v=${c.id}`,
    );
  });

  it('counts a visitor once per campaign within 24 hours', async () => {
    const camp = await created(t, '/campaigns', { key: 'uniq-1', name: 'u', destinations: [{ offerId: s.offer.id }] });
    const ids: string[] = [];
    for (const [ua, ip] of [
      [undefined, '9.9.9.9'],
      [undefined, '9.9.9.9'],
      [FIREFOX_WIN, '9.9.9.9'],
      [undefined, '1.1.1.1'],
    ] as const)
      ids.push((await click(t, '/c/uniq-1', { ua, ip })).id!);
    const other = await click(t, '/c/blog-drip', { ip: '9.9.9.9' });
    const unique = async (id: string) => (await t.http().get(`/api/v1/clicks/${id}`).set(t.auth)).body.unique;
    assert.deepEqual(await Promise.all(ids.map(unique)), [true, false, true, true]);
    assert.equal(await unique(other.id!), true, 'another campaign counts on its own');
    // A visit more than 24 h after the last one is unique again.
    await t.db.query(`UPDATE visit_uniques SET last_seen = last_seen - interval '25 hours' WHERE campaign_id = $1`, [camp.id]);
    assert.equal(await unique((await click(t, '/c/uniq-1', { ip: '9.9.9.9' })).id!), true);
  });

  it('decides uniqueness within one batch too', async () => {
    await created(t, '/campaigns', { key: 'uniq-batch', name: 'u', destinations: [{ offerId: s.offer.id }] });
    const clicks = await Promise.all(Array.from({ length: 8 }, () => click(t, '/c/uniq-batch', { ip: '4.4.4.4' })));
    const flags = await Promise.all(clicks.map(async (c) => (await t.http().get(`/api/v1/clicks/${c.id}`).set(t.auth)).body.unique));
    assert.equal(flags.filter(Boolean).length, 1);
  });

  it('computes cost per model: cpm, auto and a bad auto value', async () => {
    const cpm = await created(t, '/campaigns', {
      key: 'cpm-1',
      name: 'cpm',
      trafficSourceId: s.ts.id,
      cost: { model: 'cpm', amount: '2.5', currency: 'EUR' },
      destinations: [{ offerId: s.offer.id }],
    });
    const auto = await created(t, '/campaigns', {
      key: 'auto-1',
      name: 'auto',
      trafficSourceId: s.ts.id,
      cost: { model: 'auto', currency: 'USD' },
      destinations: [{ offerId: s.offer.id }],
    });
    const cost = async (path: string) =>
      (
        await t
          .http()
          .get(`/api/v1/clicks/${(await click(t, path)).id}`)
          .set(t.auth)
      ).body.payload.data;
    assert.deepEqual(await cost('/c/cpm-1'), { cost: 0.0025, costCents: 0, currency: 'EUR' });
    assert.deepEqual(await cost('/c/auto-1?cost=0.125'), { cost: 0.125, costCents: 13, currency: 'USD' });
    assert.deepEqual(await cost('/c/auto-1?cost=1,5'), { cost: 0, costCents: 0, currency: 'USD' });
    assert.deepEqual(await cost('/c/auto-1?cost=-3'), { cost: 0, costCents: 0, currency: 'USD' });
    const [row] = await t.db.query(`SELECT cost::text AS cost FROM visits WHERE campaign_id = $1`, [cpm.id]);
    assert.equal(row.cost, '0.0025');
    assert.ok(auto.id);
  });

  it('follows weights: a destination of weight 0 is never chosen', async () => {
    const other = await created(t, '/offers', { name: 'other', url: 'https://other.example/?id={click_id}' });
    await created(t, '/campaigns', {
      key: 'weights-1',
      name: 'w',
      destinations: [
        { offerId: s.offer.id, weight: 0 },
        { offerId: other.id, weight: 5 },
      ],
    });
    for (let i = 0; i < 10; i++) assert.equal(new URL((await click(t, '/c/weights-1')).location).host, 'other.example');
    await created(t, '/campaigns', { key: 'weights-0', name: 'w0', destinations: [{ offerId: s.offer.id, weight: 0 }] });
    assert.equal((await click(t, '/c/weights-0')).status, 404);
  });

  it('sends a visit through the lander and on to the offer link, recording the click-through', async () => {
    const lp = await created(t, '/landing-pages', { name: 'lp', url: 'https://lp.example/review?cid={click_id}&src={source}' });
    const camp = await created(t, '/campaigns', {
      key: 'lander-1',
      name: 'lander',
      trafficSourceId: s.ts.id,
      destinations: [{ offerId: s.offer.id, offerLinkId: s.offer.links[0].id, landingPageId: lp.id }],
    });
    const c = await click(t, '/c/lander-1?utm_source=blog', { param: 'cid' });
    assert.equal(c.status, 302);
    assert.equal(c.location, `https://lp.example/review?cid=${c.id}&src=blog`);
    let v = (await t.http().get(`/api/v1/clicks/${c.id}`).set(t.auth)).body;
    assert.equal(v.landingPageId, lp.id);
    assert.equal(v.offerLinkId, s.offer.links[0].id);
    assert.equal(v.landerClickedAt, null);

    const head = await t.http().head(`/lp/click?cid=${c.id}`);
    assert.equal(head.status, 302);
    assert.equal((await t.http().get(`/api/v1/clicks/${c.id}`).set(t.auth)).body.landerClickedAt, null, 'HEAD records nothing');

    const on = await t.http().get(`/lp/click?cid=${c.id}`);
    assert.equal(on.status, 302);
    assert.equal(on.headers.location, `https://offer.example/deep?aff_sub=${c.id}`);
    assert.equal(on.headers['cache-control'], 'no-store');
    v = (await t.http().get(`/api/v1/clicks/${c.id}`).set(t.auth)).body;
    assert.ok(v.landerClickedAt, 'click-through recorded');
    const byCookie = await t.http().get('/lp/click').set('cookie', `other=1; tt_cid=${c.id}`);
    assert.equal(byCookie.headers.location, `https://offer.example/deep?aff_sub=${c.id}`);
    assert.equal((await t.http().get(`/api/v1/clicks/${c.id}`).set(t.auth)).body.landerClickedAt, v.landerClickedAt, 'the first click-through is kept');
    assert.equal(await visitCount(t, camp.id), 1);

    assert.equal((await t.http().get('/lp/click?cid=0123456789ab0123456789ab')).status, 404);
    assert.equal((await t.http().get('/lp/click?cid=not-an-id')).status, 404);
    assert.equal((await t.http().get('/lp/click')).status, 404);
    t.config.fallbackUrl = 'https://fallback.example/';
    try {
      assert.equal((await t.http().get('/lp/click?cid=0123456789ab0123456789ab')).headers.location, 'https://fallback.example/');
    } finally {
      t.config.fallbackUrl = null;
    }
  });

  it('sees a management change at the next click', async () => {
    const other = await created(t, '/offers', { name: 'new', url: 'https://new.example/?c={click_id}' });
    const camp = await created(t, '/campaigns', { key: 'switch-1', name: 'sw', destinations: [{ offerId: s.offer.id }] });
    assert.equal(new URL((await click(t, '/c/switch-1')).location).host, 'offer.example');
    await t
      .http()
      .patch(`/api/v1/campaigns/${camp.id}`)
      .set(t.auth)
      .send({ destinations: [{ offerId: other.id }] })
      .expect(200);
    assert.equal(new URL((await click(t, '/c/switch-1', { param: 'c' })).location).host, 'new.example');
    await t.http().patch(`/api/v1/offers/${other.id}`).set(t.auth).send({ url: 'https://newer.example/?c={click_id}' }).expect(200);
    assert.equal(new URL((await click(t, '/c/switch-1', { param: 'c' })).location).host, 'newer.example');
    await t.http().patch(`/api/v1/campaigns/${camp.id}`).set(t.auth).send({ key: 'switch-2' }).expect(200);
    assert.equal((await click(t, '/c/switch-1')).status, 404);
    assert.equal((await click(t, '/c/switch-2', { param: 'c' })).status, 302);
  });

  it('attributes a conversion that was waiting for the click, in the same commit', async () => {
    const writer = t.app.get(VisitWriter);
    const id = mintId();
    await t.db.query(
      `INSERT INTO conversions (id, created_at, updated_at, dedupe_key, click_id, conversion_type_id, status)
       VALUES ($1, now(), now(), $2, $3, '1', 'approved')`,
      [mintId(), `k-${id}`, id],
    );
    writer.mint = () => ((writer.mint = mintId), id);
    const c = await click(t, '/c/blog-drip', { ip: '8.8.4.4' });
    assert.equal(c.id, id);
    const [conv] = await t.db.query(
      `SELECT visit_id, visit_created_at, campaign_id, offer_id, traffic_source_id, affiliate_network_id, country FROM conversions WHERE click_id = $1`,
      [id],
    );
    assert.equal(conv.visit_id, id);
    assert.equal(new Date(conv.visit_created_at).getTime(), parseInt(id.slice(0, 12), 16));
    assert.deepEqual(
      [conv.campaign_id, conv.offer_id, conv.traffic_source_id, conv.affiliate_network_id, conv.country],
      [s.camp.id, s.offer.id, s.ts.id, s.net.id, 'US'],
    );
  });

  it('mints a new id when the first one is taken, and redirects with the new one', async () => {
    const writer = t.app.get(VisitWriter);
    const first = (await click(t, '/c/blog-drip')).id!;
    writer.mint = () => ((writer.mint = mintId), first);
    const c = await click(t, '/c/blog-drip?utm_source=second');
    assert.equal(c.status, 302);
    assert.notEqual(c.id, first);
    assert.match(c.id!, ID24);
    assert.equal(c.cookies[0], `tt_cid=${c.id}; Path=/; Max-Age=2592000; SameSite=Lax; HttpOnly`);
    const v = (await t.http().get(`/api/v1/clicks/${c.id}`).set(t.auth)).body;
    assert.deepEqual(v.payload.remaped, { event_id: c.id, source: 'second' });
    assert.equal((await t.http().get(`/api/v1/clicks/${first}`).set(t.auth)).body.payload.query.utm_source, undefined, 'the first visit is untouched');
  });

  it('stores values PostgreSQL would refuse (NUL, lone surrogates) without failing the batch', async () => {
    const clicks = await Promise.all([
      click(t, '/c/blog-drip?utm_source=a%00b'),
      click(t, '/c/blog-drip?utm_source=%ED%A0%80x'),
      click(t, '/c/blog-drip?utm_source=fine'),
    ]);
    for (const c of clicks) assert.equal(c.status, 302);
    const v = (await t.http().get(`/api/v1/clicks/${clicks[0].id}`).set(t.auth)).body;
    assert.equal(v.payload.remaped.source, 'ab');
  });
});

describe('clicks API', () => {
  let t: TestApp;
  let s: ClickSetup;
  before(async () => {
    t = await startTestApp();
    s = await setupCampaign(t, 'api-1');
  });
  after(() => t.close());

  it('lists visits newest first with filters and keyset paging; 404 for an unknown id; needs a key', async () => {
    const net2 = await created(t, '/affiliate-networks', { name: 'n2' });
    const offer2 = await created(t, '/offers', { name: 'o2', affiliateNetworkId: net2.id, url: 'https://o2.example/?c={click_id}' });
    const camp2 = await created(t, '/campaigns', { key: 'api-2', name: 'c2', destinations: [{ offerId: offer2.id }] });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await click(t, `/c/api-1?utm_source=n${i}`)).id!);
    const otherIds = [(await click(t, '/c/api-2', { param: 'c' })).id!];
    const all = [...ids, ...otherIds].sort().reverse();
    const mine = [...ids].sort().reverse();

    const list = async (q: string) => {
      const r = await t.http().get(`/api/v1/clicks${q}`).set(t.auth);
      assert.equal(r.status, 200, r.text);
      return r.body as { items: { id: string }[]; nextCursor: string | null };
    };
    assert.deepEqual(
      (await list('')).items.map((x) => x.id),
      all,
    );
    assert.deepEqual(
      (await list(`?campaignId=${s.camp.id}`)).items.map((x) => x.id),
      mine,
    );
    assert.deepEqual(
      (await list(`?offerId=${offer2.id}`)).items.map((x) => x.id),
      otherIds,
    );
    assert.deepEqual(
      (await list(`?affiliateNetworkId=${net2.id}`)).items.map((x) => x.id),
      otherIds,
    );
    assert.deepEqual(
      (await list(`?affiliateNetworkId=${s.net.id}`)).items.map((x) => x.id),
      mine,
    );
    assert.deepEqual(
      (await list(`?trafficSourceId=${s.ts.id}`)).items.map((x) => x.id),
      mine,
    );
    assert.deepEqual((await list(`?campaignId=${camp2.id}&trafficSourceId=${s.ts.id}`)).items, []);

    const p1 = await list('?limit=4');
    assert.deepEqual(
      p1.items.map((x) => x.id),
      all.slice(0, 4),
    );
    assert.ok(p1.nextCursor);
    const p2 = await list(`?limit=4&cursor=${p1.nextCursor}`);
    assert.deepEqual(
      p2.items.map((x) => x.id),
      all.slice(4),
    );
    assert.equal(p2.nextCursor, null);

    const t2 = new Date(parseInt(ids[2].slice(0, 12), 16));
    const from = await list(`?campaignId=${s.camp.id}&from=${encodeURIComponent(t2.toISOString())}`);
    assert.ok(from.items.every((x) => x.id >= ids[2].slice(0, 12)));
    assert.ok(
      from.items.some((x) => x.id === ids[2]),
      'from is inclusive',
    );
    const to = await list(`?campaignId=${s.camp.id}&to=${encodeURIComponent(t2.toISOString())}`);
    assert.ok(
      to.items.every((x) => parseInt(x.id.slice(0, 12), 16) < t2.getTime()),
      'to is exclusive',
    );
    assert.ok(!to.items.some((x) => x.id === ids[2]));

    const bad = await t.http().get('/api/v1/clicks?limit=0&from=yesterday').set(t.auth);
    assert.equal(bad.status, 400);
    assert.ok(fieldsOf(bad.body).limit && fieldsOf(bad.body).from);
    const missing = await t.http().get('/api/v1/clicks/0123456789ab0123456789ab').set(t.auth);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, 'NOT_FOUND');
    assert.equal((await t.http().get('/api/v1/clicks/nope').set(t.auth)).body.code, 'NOT_FOUND');
    assert.equal((await t.http().get(`/api/v1/clicks/${ids[0]}`)).status, 401);
    const metrics = (await t.http().get('/metrics')).text;
    assert.match(metrics, /tracker_click_batch_rows_count \d+/);
    assert.match(metrics, /tracker_click_backlog 0/);
    assert.equal((await t.http().get('/api/v1/clicks')).status, 401);
  });
});
