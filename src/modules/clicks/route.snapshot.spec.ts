import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lookupIn, renderTemplate } from './macro.renderer';
import { buildSnapshot, RouteRows } from './route.snapshot';

const rows = (destinations: RouteRows['campaigns'][number]['destinations'], status: 'active' | 'paused' = 'active'): RouteRows => ({
  campaigns: [
    { id: 'c1', key: 'k1', status, traffic_source_id: 't1', cost_model: 'cpc', cost_amount: '0.05', cost_currency: 'USD', destinations, fallback_url: null },
  ],
  offers: [
    { id: 'o1', url: 'https://o1.example/?c={click_id}' },
    { id: 'o2', url: 'https://o2.example/' },
  ],
  offerLinks: [{ id: 'l1', offer_id: 'o1', url: 'https://o1.example/deep?c={click_id}' }],
  landingPages: [{ id: 'p1', url: 'https://lp.example/?c={click_id}' }],
  trafficSources: [{ id: 't1', click_id_param: 'clickid', cost_param: null, params: [{ param: 'utm_source', as: 'source' }] }],
});
const first = (r: RouteRows, i = 0) => renderTemplate(buildSnapshot(r).byKey.get('k1')!.destinations[i].first, lookupIn({ click_id: 'X' }));

describe('route snapshot', () => {
  it('sends a destination to its lander, else its offer link, else its offer', () => {
    assert.equal(first(rows([{ offerId: 'o1', offerLinkId: 'l1', landingPageId: 'p1', weight: 1 }])), 'https://lp.example/?c=X');
    assert.equal(first(rows([{ offerId: 'o1', offerLinkId: 'l1', landingPageId: null, weight: 1 }])), 'https://o1.example/deep?c=X');
    assert.equal(first(rows([{ offerId: 'o1', offerLinkId: null, landingPageId: null, weight: 1 }])), 'https://o1.example/?c=X');
  });

  it('ignores a link of another offer, a missing lander, a missing offer and weight 0', () => {
    const s = buildSnapshot(
      rows([
        { offerId: 'o2', offerLinkId: 'l1', landingPageId: 'gone', weight: 1 },
        { offerId: 'gone', offerLinkId: null, landingPageId: null, weight: 5 },
        { offerId: 'o1', offerLinkId: null, landingPageId: null, weight: 0 },
      ]),
    );
    const c = s.byKey.get('k1')!;
    assert.equal(c.destinations.length, 1);
    assert.deepEqual(
      { ...c.destinations[0], first: undefined },
      { cap: null, offerId: 'o2', offerLinkId: null, landingPageId: null, weight: 1, first: undefined },
    );
    assert.equal(c.trafficSource?.clickIdParam, 'clickid');
    assert.equal(s.byId.get('c1'), c);
  });

  it('keeps paused campaigns, marked inactive', () => {
    assert.equal(buildSnapshot(rows([], 'paused')).byKey.get('k1')!.active, false);
  });
});
