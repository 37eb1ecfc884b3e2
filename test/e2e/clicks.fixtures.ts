import assert from 'node:assert/strict';
import type { TestApp } from '../support/test-app';

export const CHROME_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_14_1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.110 Safari/537.36';
export const FIREFOX_WIN = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0';
export const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

export interface ClickSetup {
  ts: { id: string };
  net: { id: string };
  offer: { id: string; links: { id: string }[] };
  camp: { id: string; key: string };
}

export async function created(t: TestApp, path: string, body: object): Promise<Record<string, any>> {
  const r = await t.http().post(`/api/v1${path}`).set(t.auth).send(body);
  assert.equal(r.status, 201, `POST ${path}: ${r.text}`);
  return r.body;
}

/** A source with four slots and a click id param, a network, an offer with a link, a cpc campaign (as in the conformance run). */
export async function setupCampaign(t: TestApp, key: string): Promise<ClickSetup> {
  const ts = await created(t, '/traffic-sources', {
    name: 'Blog',
    clickIdParam: 'clickid',
    costParam: 'cost',
    params: [
      { param: 'utm_source', as: 'source' },
      { param: 'utm_medium', as: 'var_2' },
      { param: 'utm_content', as: 'target' },
      { param: 'url', as: 'var_7' },
    ],
  });
  const net = await created(t, '/affiliate-networks', { name: 'Net', kind: 'generic' });
  const offer = await created(t, '/offers', {
    name: 'Offer',
    affiliateNetworkId: net.id,
    url: 'https://offer.example/aff_c?offer_id=12&aff_sub={click_id}&s2={source}',
    payout: { type: 'dynamic', amount: '92.40', currency: 'USD' },
    links: [{ name: 'deep', url: 'https://offer.example/deep?aff_sub={click_id}' }],
  });
  const camp = await created(t, '/campaigns', {
    key,
    name: `Campaign ${key}`,
    category: 'REFERRAL',
    trafficSourceId: ts.id,
    cost: { model: 'cpc', amount: '0.05', currency: 'USD' },
    destinations: [{ offerId: offer.id, weight: 100 }],
  });
  return { ts: ts as ClickSetup['ts'], net: net as ClickSetup['net'], offer: offer as ClickSetup['offer'], camp: camp as ClickSetup['camp'] };
}

export interface Clicked {
  status: number;
  location: string;
  id: string | null;
  cookies: string[];
  headers: Record<string, string>;
  text: string;
}

/** A click as a browser behind the trusted proxy makes it; the id is read from `param` of the Location. */
export async function click(
  t: TestApp,
  path: string,
  opts: { ua?: string; ip?: string; headers?: Record<string, string>; param?: string; method?: 'get' | 'head' } = {},
): Promise<Clicked> {
  const req = t
    .http()
    [opts.method ?? 'get'](path)
    .set('user-agent', opts.ua ?? CHROME_MAC)
    .set('x-forwarded-for', opts.ip ?? '8.8.8.8')
    .set('accept-language', 'en-US,en;q=0.9');
  for (const [k, v] of Object.entries(opts.headers ?? {})) req.set(k, v);
  const r = await req;
  const location = (r.headers.location as string | undefined) ?? '';
  const m = new RegExp(`[?&]${opts.param ?? 'aff_sub'}=([^&#]*)`).exec(location);
  const raw = r.headers['set-cookie'] as string[] | string | undefined;
  return {
    status: r.status,
    location,
    id: m ? decodeURIComponent(m[1]) || null : null,
    cookies: raw === undefined ? [] : Array.isArray(raw) ? raw : [raw],
    headers: r.headers as Record<string, string>,
    text: r.text ?? '',
  };
}

export async function visitCount(t: TestApp, campaignId: string): Promise<number> {
  const [row] = await t.db.query(`SELECT count(*)::int AS n FROM visits WHERE campaign_id = $1`, [campaignId]);
  return row.n;
}
