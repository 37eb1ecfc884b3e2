import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ClientInfo } from '../enrichment/enrichment.service';
import type { RouteCampaign, RouteDestination } from './route.snapshot';
import { buildVisit, visitMacros } from './visit.builder';

const client: ClientInfo = {
  ip: '8.8.8.8',
  forwardedFor: '8.8.8.8',
  ua: 'UA',
  lang: 'en',
  agent: { family: 'Chrome', major: '70', minor: '0', patch: '1' },
  os: { family: 'Mac OS', major: '10', minor: null, patch: null, patchMinor: null },
  device: { family: 'Other', brand: null, model: null },
  mobile: false,
  bot: false,
  botName: null,
  deviceType: 'desktop',
  datacenter: null,
  protocol: 'http',
  geo: { country: 'US', geoname_id: 6252001, region: null, city: null, tz: null },
};
const campaign: RouteCampaign = {
  id: 'c1',
  key: 'blog',
  active: true,
  fallbackUrl: null,
  trafficSource: {
    id: 't1',
    clickIdParam: 'clickid',
    costParam: 'cost',
    params: [
      { param: 'utm_source', as: 'source' },
      { param: 'url', as: 'var_7' },
      { param: 'utm_term', as: 'term' },
    ],
  },
  slots: new Set(['source', 'var_7', 'term']),
  cost: { model: 'auto', amount: '0', currency: 'EUR' },
  destinations: [],
  rules: [],
  rulesNeedUnique: false,
};
const dest = { offerId: 'o1', offerLinkId: 'l1', landingPageId: null, weight: 1 } as RouteDestination;
const request = (query: Record<string, unknown>) => ({
  key: 'blog',
  method: 'GET',
  url: '/c/blog',
  query,
  headers: { host: 'h', referer: 'https://ref.example/' },
  socketIp: '127.0.0.1',
  socketProtocol: 'http' as const,
});

describe('visit builder', () => {
  it('fills remaped from the source params (empty kept, absent left out) and the external id', () => {
    const v = buildVisit(request({ utm_source: ['a', 'b'], url: '', clickid: 'ext-1', cost: '0.25', other: 'x' }), campaign, dest, client);
    assert.deepEqual(v.remaped, { event_id: '', source: 'a', var_7: '' });
    assert.deepEqual({ ...v.query }, { utm_source: ['a', 'b'], url: '', clickid: 'ext-1', cost: '0.25', other: 'x' });
    assert.equal(v.external_id, 'ext-1');
    assert.deepEqual([v.cost, v.cost_currency], ['0.25', 'EUR']);
    assert.deepEqual([v.offer_id, v.offer_link_id, v.landing_page_id, v.traffic_source_id], ['o1', 'l1', null, 't1']);
    assert.deepEqual([v.referer, v.host, v.country, v.geoname_id], ['https://ref.example/', 'h', 'US', 6252001]);
    assert.equal(buildVisit(request({ clickid: '' }), campaign, dest, client).external_id, null);
  });

  it('answers every macro of SPEC §5, slots of the source empty when absent, others unknown', () => {
    const v = { ...buildVisit(request({ utm_source: 'blog', clickid: 'e' }), campaign, dest, client), id: 'ID' };
    const m = visitMacros(v, campaign);
    assert.deepEqual(
      ['click_id', 'subid', 'event_id', 'campaign_id', 'campaign_key', 'offer_id', 'traffic_source_id', 'external_id', 'country', 'source', 'term'].map(m),
      ['ID', 'ID', 'ID', 'c1', 'blog', 'o1', 't1', 'e', 'US', 'blog', ''],
    );
    assert.equal(m('nope'), undefined);
    assert.equal(m('constructor'), undefined);
    assert.equal(visitMacros(v, undefined)('term'), undefined, 'without the campaign, only recorded slots are known');
  });
});
