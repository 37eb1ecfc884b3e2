import { mintId } from '../../src/common/ids';
import type { TestApp } from './test-app';

/** A campaign with its traffic source, network and offer, and a way to make clicks on it. */
export interface ConversionWorld {
  trafficSourceId: string;
  networkId: string;
  offerId: string;
  offerLinkId: string;
  campaignId: string;
  campaignKey: string;
}

export async function created(t: TestApp, path: string, body: object): Promise<Record<string, any>> {
  const r = await t.http().post(`/api/v1${path}`).set(t.auth).send(body);
  if (r.status !== 201) throw new Error(`POST ${path} answered ${r.status}: ${r.text}`);
  return r.body;
}

export async function makeWorld(
  t: TestApp,
  opts: { network?: object; payout?: { type: 'fixed' | 'dynamic'; amount: string; currency: string } } = {},
): Promise<ConversionWorld> {
  const suffix = mintId().slice(-8);
  const ts = await created(t, '/traffic-sources', {
    name: `ts ${suffix}`,
    clickIdParam: 'clickid',
    params: [{ param: 'utm_source', as: 'source' }],
  });
  const net = await created(t, '/affiliate-networks', { name: `net ${suffix}`, kind: 'generic', ...opts.network });
  const offer = await created(t, '/offers', {
    name: `offer ${suffix}`,
    affiliateNetworkId: net.id,
    url: 'https://offer.example/aff_c?aff_sub={click_id}',
    payout: opts.payout ?? { type: 'dynamic', amount: '92.40', currency: 'USD' },
    links: [{ name: `link ${suffix}`, url: 'https://offer.example/deep?aff_sub={click_id}' }],
  });
  const key = `camp-${suffix}`;
  const camp = await created(t, '/campaigns', {
    key,
    name: `Campaign ${suffix}`,
    category: 'REFERRAL',
    trafficSourceId: ts.id,
    cost: { model: 'cpc', amount: '0.05', currency: 'USD' },
    destinations: [{ offerId: offer.id, offerLinkId: offer.links[0].id, weight: 100 }],
  });
  return { trafficSourceId: ts.id, networkId: net.id, offerId: offer.id, offerLinkId: offer.links[0].id, campaignId: camp.id, campaignKey: key };
}

/** A recorded click, written straight into `visits` (as the click writer would). */
export async function insertVisit(t: TestApp, w: ConversionWorld, id: string = mintId()): Promise<string> {
  await t.db.query(
    `INSERT INTO visits (id, created_at, campaign_id, traffic_source_id, offer_id, offer_link_id, external_id, query, remaped,
                         cost, cost_currency, ip, ua, mobile, bot, country, method, url, protocol, host)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, 0.05, 'USD', '8.8.8.8', 'Mozilla/5.0', false, false, 'US', 'GET', $10, 'http', 'localhost')`,
    [
      id,
      new Date(parseInt(id.slice(0, 12), 16)),
      w.campaignId,
      w.trafficSourceId,
      w.offerId,
      w.offerLinkId,
      `ext-${id.slice(-6)}`,
      JSON.stringify({ utm_source: 'blog', clickid: `ext-${id.slice(-6)}` }),
      JSON.stringify({ event_id: id, source: 'blog' }),
      `/c/${w.campaignKey}?utm_source=blog`,
    ],
  );
  return id;
}

/** A click through the real redirect: the click id from the offer URL. */
export async function clickThrough(t: TestApp, w: ConversionWorld, query = '?utm_source=blog'): Promise<string> {
  const r = await t.http().get(`/c/${w.campaignKey}${query}`).set('user-agent', 'Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0.0.0');
  if (r.status !== 302) throw new Error(`GET /c/${w.campaignKey} answered ${r.status}: ${r.text}`);
  const m = /[?&]aff_sub=([^&]+)/.exec(r.headers.location ?? '');
  if (!m) throw new Error(`no click id in ${r.headers.location}`);
  return decodeURIComponent(m[1]);
}

export async function conversion(t: TestApp, id: string): Promise<Record<string, any>> {
  const r = await t.http().get(`/api/v1/conversions/${id}`).set(t.auth);
  if (r.status !== 200) throw new Error(`GET /api/v1/conversions/${id} answered ${r.status}: ${r.text}`);
  return r.body;
}

export async function countRows(t: TestApp, sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await t.db.query(`SELECT count(*)::int AS n FROM (${sql}) x`, params);
  return row.n;
}
