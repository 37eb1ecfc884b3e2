import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, TestApp } from '../support/test-app';
import { CHROME_MAC, click, created, GOOGLEBOT } from './clicks.fixtures';

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';
const US = '8.8.8.8';
const GB = '81.2.69.142';
const NL = '193.0.0.1';
const HETZNER = '5.9.10.10';

describe('campaign rules (paths by visitor)', () => {
  let t: TestApp;
  let camp: Record<string, any>;
  const offers: Record<string, string> = {};
  before(async () => {
    t = await startTestApp();
    for (const name of ['us', 'gb', 'rest', 'dc'])
      offers[name] = (
        await created(t, '/offers', { name, url: `https://${name}.example/?sub={click_id}`, payout: { type: 'fixed', amount: '1', currency: 'USD' } })
      ).id;
    camp = await created(t, '/campaigns', {
      key: 'routed',
      name: 'Routed',
      destinations: [{ offerId: offers.rest }],
      fallbackUrl: 'https://fallback.example/',
      rules: [
        { name: 'US desktop', when: { country: ['US'], deviceType: ['desktop'] }, destinations: [{ offerId: offers.us, weight: 100 }] },
        { name: 'GB mobile', when: { country: ['gb'], deviceType: ['mobile', 'tablet'], not: { bot: true } }, destinations: [{ offerId: offers.gb }] },
        { name: 'Data centres', when: { datacenter: true }, destinations: [{ offerId: offers.dc }] },
        { name: 'Blocked source', when: { param: { zone: ['666'] } }, destinations: [] },
      ],
    });
  });
  after(() => t.close());

  it('stores and answers the rules as normalized', async () => {
    assert.equal(camp.rules.length, 4);
    assert.deepEqual(camp.rules[1].when, { country: ['GB'], deviceType: ['mobile', 'tablet'], not: { bot: true } });
    const r = await t.http().get(`/api/v1/campaigns/${camp.id}`).set(t.auth);
    assert.deepEqual(r.body.rules, camp.rules);
  });

  it('sends US desktop, GB mobile and everything else where the rules say, and the visit records the rule', async () => {
    const cases = [
      { ua: CHROME_MAC, ip: US, host: 'us.example', rule: { index: 0, name: 'US desktop' } },
      { ua: IPHONE, ip: GB, host: 'gb.example', rule: { index: 1, name: 'GB mobile' } },
      { ua: IPHONE, ip: US, host: 'rest.example', rule: null },
      { ua: CHROME_MAC, ip: GB, host: 'rest.example', rule: null },
      { ua: CHROME_MAC, ip: NL, host: 'rest.example', rule: null },
      { ua: CHROME_MAC, ip: HETZNER, host: 'dc.example', rule: { index: 2, name: 'Data centres' } },
    ];
    for (const c of cases) {
      const res = await click(t, '/c/routed', { ua: c.ua, ip: c.ip, param: 'sub' });
      assert.equal(res.status, 302, res.text);
      assert.equal(new URL(res.location).host, c.host, `${c.ip} ${c.ua.slice(0, 20)}`);
      const v = await t.http().get(`/api/v1/clicks/${res.id}`).set(t.auth);
      assert.deepEqual(v.body.rule, c.rule);
    }
  });

  it('a matching rule with no destination sends the click to the fallback', async () => {
    const res = await click(t, '/c/routed?zone=666', { ip: NL });
    assert.equal(res.status, 302);
    assert.equal(res.location, 'https://fallback.example/');
  });

  it('records the bot by name and the data centre', async () => {
    const res = await click(t, '/c/routed', { ua: GOOGLEBOT, ip: HETZNER, param: 'sub' });
    const v = await t.http().get(`/api/v1/clicks/${res.id}`).set(t.auth);
    assert.equal(v.body.client.bot, true);
    assert.equal(v.body.client.botName, 'Googlebot');
    assert.equal(v.body.client.datacenter, true);
    assert.equal(v.body.client.datacenterProvider, 'Hetzner');
    const human = await click(t, '/c/routed', { ip: US, param: 'sub' });
    const h = await t.http().get(`/api/v1/clicks/${human.id}`).set(t.auth);
    assert.equal(h.body.client.botName, null);
    assert.equal(h.body.client.datacenter, false);
  });

  it('reports group by rule (and datacenter), and filter by a rule index', async () => {
    const r = await t.http().get(`/api/v1/reports?groupBy=rule&campaign=${camp.id}`).set(t.auth);
    assert.equal(r.status, 200, r.text);
    const by = new Map(r.body.rows.map((row: any) => [row.rule === null ? 'none' : `${row.rule.index}:${row.rule.name}`, row.clicks]));
    assert.deepEqual(Object.fromEntries(by), { '0:US desktop': 2, '1:GB mobile': 1, '2:Data centres': 2, none: 3 });
    const one = await t.http().get(`/api/v1/reports?groupBy=rule&rule=1`).set(t.auth);
    assert.deepEqual(
      one.body.rows.map((row: any) => [row.rule, row.clicks]),
      [[{ index: 1, name: 'GB mobile' }, 1]],
    );
    const dc = await t.http().get(`/api/v1/reports?groupBy=datacenter&campaign=${camp.id}`).set(t.auth);
    assert.deepEqual(
      dc.body.rows.map((row: any) => [row.datacenter, row.clicks]),
      [
        [false, 6],
        [true, 2],
      ],
    );
    const csv = await t.http().get(`/api/v1/reports?groupBy=rule&rule=0&format=csv`).set(t.auth);
    assert.match(csv.text, /^ruleIndex,ruleName,clicks/);
    assert.match(csv.text, /\r\n0,US desktop,2,/);
    const bad = await t.http().get(`/api/v1/reports?groupBy=rule&rule=x`).set(t.auth);
    assert.equal(bad.status, 400);
  });

  it('an unknown criterion is a 400 naming it; so is a bad value', async () => {
    const r = await t
      .http()
      .post('/api/v1/campaigns')
      .set(t.auth)
      .send({ name: 'x', destinations: [], rules: [{ name: 'r', when: { contry: ['US'] }, destinations: [] }] });
    assert.equal(r.status, 400, r.text);
    assert.equal(r.body.code, 'VALIDATION_FAILED');
    assert.match(r.text, /rules\[0\]\.when\.contry/);
    const p = await t
      .http()
      .patch(`/api/v1/campaigns/${camp.id}`)
      .set(t.auth)
      .send({ rules: [{ name: 'r', when: { hour: { from: 25, to: 3 } }, destinations: [{ offerId: 'nope' }] }] });
    assert.equal(p.status, 400, p.text);
    assert.match(p.text, /rules\[0\]\.when\.hour/);
    assert.match(p.text, /rules\[0\]\.destinations\.0\.offerId/);
  });

  it('a rule change is seen by the next click; unique and hour rules route', async () => {
    const p = await t
      .http()
      .patch(`/api/v1/campaigns/${camp.id}`)
      .set(t.auth)
      .send({
        rules: [
          { name: 'returning', when: { unique: false }, destinations: [{ offerId: offers.gb }] },
          { name: 'any hour', when: { hour: { from: 0, to: 24 }, tz: 'Asia/Kathmandu' }, destinations: [{ offerId: offers.us }] },
        ],
      });
    assert.equal(p.status, 200, p.text);
    const ua = 'Mozilla/5.0 (X11; Linux x86_64) unique-rule-test';
    const first = await click(t, '/c/routed', { ip: '9.9.9.9', ua, param: 'sub' });
    assert.equal(new URL(first.location).host, 'us.example');
    const again = await click(t, '/c/routed', { ip: '9.9.9.9', ua, param: 'sub' });
    assert.equal(new URL(again.location).host, 'gb.example');
    const v = await t.http().get(`/api/v1/clicks/${again.id}`).set(t.auth);
    assert.deepEqual(v.body.rule, { index: 0, name: 'returning' });
    assert.equal(v.body.unique, false);
  });

  it('HEAD answers where GET would go by the rules, recording nothing', async () => {
    await t
      .http()
      .patch(`/api/v1/campaigns/${camp.id}`)
      .set(t.auth)
      .send({ rules: [{ name: 'GB', when: { country: ['GB'] }, destinations: [{ offerId: offers.gb }] }] });
    const [{ n: before }] = await t.db.query(`SELECT count(*)::int AS n FROM visits`);
    const h = await click(t, '/c/routed', { ip: GB, method: 'head', param: 'sub' });
    assert.equal(h.status, 302);
    assert.equal(new URL(h.location).host, 'gb.example');
    const [{ n: after }] = await t.db.query(`SELECT count(*)::int AS n FROM visits`);
    assert.equal(after, before);
  });
});
