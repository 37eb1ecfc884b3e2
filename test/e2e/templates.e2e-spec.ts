import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mintId } from '../../src/common/ids';
import { created } from '../support/conversion-world';
import { startTestApp, TestApp } from '../support/test-app';
import { fieldsOf } from '../support/error-fields';

type NetworkTemplate = {
  id: string;
  name: string;
  kind: string;
  postbackUrl: string;
  offerUrlQuery: string | null;
  example: { values: Record<string, string>; status: string };
};

describe('templates: catalogue endpoints and template on create', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  const get = (path: string, key = t.adminKey) => t.http().get(`/api/v1${path}`).set('x-api-key', key);
  const post = (path: string, body: object) => t.http().post(`/api/v1${path}`).set(t.auth).send(body);

  it('lists both catalogues for any key, each item with its id, name and public doc URL', async () => {
    const readKey = (await post('/api-keys', { name: 'reader', scope: 'read' })).body.key as string;
    for (const kind of ['traffic-sources', 'affiliate-networks']) {
      const r = await get(`/templates/${kind}`, readKey);
      assert.equal(r.status, 200, r.text);
      assert.ok(r.body.items.length >= 6);
      for (const item of r.body.items) assert.match(item.docs, /^https?:\/\//, item.id);
      const one = await get(`/templates/${kind}/${r.body.items[0].id}`, readKey);
      assert.deepEqual(one.body, r.body.items[0]);
    }
    assert.equal((await t.http().get('/api/v1/templates/traffic-sources')).status, 401);
    const missing = await get('/templates/affiliate-networks/nope');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, 'NOT_FOUND');
  });

  it('creates a traffic source from a template, the body winning, and its tracking link asks for the source macros', async () => {
    const ts = await post('/traffic-sources', { template: 'google-ads' });
    assert.equal(ts.status, 201, ts.text);
    assert.equal(ts.body.name, 'Google Ads');
    assert.equal(ts.body.clickIdParam, 'gclid');
    assert.deepEqual(ts.body.params[0], { param: 'campaignid', as: 'ad_campaign' });
    assert.equal(ts.body.postbackUrl, null);
    const template = (await get('/templates/traffic-sources/google-ads')).body;
    const campaign = await post('/campaigns', { name: 'gads', trafficSourceId: ts.body.id, destinations: [] });
    assert.equal(campaign.status, 201, campaign.text);
    assert.equal(new URL(campaign.body.trackingUrl).search, `?${template.trackingQuery}`);

    const mine = await post('/traffic-sources', {
      template: 'mgid',
      name: 'MGID push',
      costParam: null,
      postbackUrl: 'https://a.mgid.com/postback?c={external_id}&e=buy123&r={payout}',
    });
    assert.equal(mine.status, 201, mine.text);
    assert.equal(mine.body.name, 'MGID push');
    assert.equal(mine.body.costParam, null);
    assert.equal(mine.body.clickIdParam, 'click_id');
    assert.equal(mine.body.params.length, 4);
    assert.equal(mine.body.postbackUrl, 'https://a.mgid.com/postback?c={external_id}&e=buy123&r={payout}');
  });

  it('refuses an unknown template by name, and a postback URL left with placeholders', async () => {
    const unknown = await post('/traffic-sources', { template: 'propeller' });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.code, 'UNKNOWN_TEMPLATE');
    assert.match(unknown.body.message, /'propeller'/);
    const net = await post('/affiliate-networks', { template: 'maxbounty', name: 'MB' });
    assert.equal(net.status, 400);
    assert.equal(net.body.code, 'UNKNOWN_TEMPLATE');
    assert.match(net.body.message, /'maxbounty'/);
    const taboola = await post('/traffic-sources', { template: 'taboola' });
    assert.equal(taboola.status, 400);
    assert.equal(taboola.body.code, 'VALIDATION_FAILED');
    assert.match(fieldsOf(taboola.body).postbackUrl[0], /EVENT_NAME/);
    const later = await post('/traffic-sources', { template: 'taboola', postbackUrl: null });
    assert.equal(later.status, 201, later.text);
    assert.equal(later.body.clickIdParam, 'click_id');
    const named = await post('/traffic-sources', {
      template: 'taboola',
      postbackUrl: 'https://trc.taboola.com/actions-handler/log/3/s2s-action?click-id={external_id}&name=purchase&revenue={payout}',
    });
    assert.equal(named.status, 201, named.text);
    assert.equal((await post('/traffic-sources', { clickIdParam: 'x' })).status, 400, 'a name is still needed without a template');
  });

  it('a network made from each template records the call its postback URL gives, filled as the network fills it', async () => {
    const templates = (await get('/templates/affiliate-networks')).body.items as NetworkTemplate[];
    const kinds = new Set(templates.map((x) => x.kind));
    assert.deepEqual([...kinds].sort(), ['generic', 'trackdesk', 'tradedoubler', 'tradetracker']);
    const source = await created(t, '/traffic-sources', { name: 'direct' });
    for (const template of templates) {
      const network = await post('/affiliate-networks', { template: template.id });
      assert.equal(network.status, 201, `${template.id}: ${network.text}`);
      assert.equal(network.body.name, template.name);
      assert.equal(network.body.kind, template.kind);
      const clickParam = template.offerUrlQuery?.split('=')[0];
      const offer = await created(t, '/offers', {
        name: `${template.id} offer`,
        affiliateNetworkId: network.body.id,
        url: `https://network.example/offer?${template.offerUrlQuery ?? 'x=1'}`,
        payout: { type: 'dynamic', amount: '1.00', currency: 'USD' },
      });
      const campaign = await created(t, '/campaigns', {
        key: `tpl-${template.id}-${mintId().slice(-6)}`,
        name: template.id,
        trafficSourceId: source.id,
        destinations: [{ offerId: offer.id, weight: 100 }],
      });
      const click = await t.http().get(`/c/${campaign.key}`).set('user-agent', 'Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0.0.0');
      assert.equal(click.status, 302);
      const clickId = /tt_cid=([0-9a-f]{24})/.exec(String(click.headers['set-cookie']))![1];
      if (clickParam) assert.equal(new URL(click.headers.location).searchParams.get(clickParam), clickId, template.id);

      // What the network sends: the URL the network's own view gives (issue 11: its receiver with the
      // network's id, so its settings apply, and its own macros), each macro replaced by a value.
      let url: string = network.body.postbackUrl;
      assert.ok(url.startsWith(t.config.baseUrl), url);
      assert.equal(network.body.template, template.id);
      if (/^\/(postback|receivers\/)/.test(new URL(template.postbackUrl).pathname)) assert.ok(url.includes(`/${network.body.id}`), `${template.id}: ${url}`);
      assert.equal(url.replace(`/${network.body.id}`, ''), template.postbackUrl, `${template.id}: the template's URL with the network's id`);
      for (const [macro, value] of Object.entries(template.example.values))
        url = url.split(macro).join(encodeURIComponent(value === '<click id>' ? clickId : value));
      const answer = await t.http().get(url.slice(t.config.baseUrl.length));
      assert.equal(answer.status, 200, `${template.id}: ${answer.text}`);
      if (!url.includes('/a.gif')) assert.equal(answer.body.status, 'accepted', `${template.id}: ${answer.text}`);

      const conversions = await get(`/conversions?affiliateNetworkId=${network.body.id}`);
      assert.equal(conversions.body.items.length, 1, `${template.id}: ${conversions.text}`);
      const conversion = conversions.body.items[0];
      assert.equal(conversion.visitEvent.id, clickId, template.id);
      assert.equal(conversion.status, template.example.status, template.id);
      const log = await get('/postbacks?limit=1');
      assert.equal(log.body.items[0].status, 'accepted', `${template.id}: ${JSON.stringify(log.body.items[0])}`);
    }
  });
});
