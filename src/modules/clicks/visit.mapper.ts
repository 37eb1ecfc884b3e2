import { toCents, toJsonNumber } from '../../common/money';

/** A `visits` row as `SELECT * FROM visits` returns it. */
export interface VisitRow {
  id: string;
  created_at: Date;
  campaign_id: string;
  traffic_source_id: string | null;
  offer_id: string | null;
  offer_link_id: string | null;
  landing_page_id: string | null;
  external_id: string | null;
  query: Record<string, unknown>;
  remaped: Record<string, string>;
  cost: string;
  cost_currency: string;
  ip: string | null;
  forwarded_for: string | null;
  ua: string | null;
  agent: Record<string, unknown> | null;
  os: Record<string, unknown> | null;
  device: Record<string, unknown> | null;
  mobile: boolean;
  bot: boolean;
  lang: string | null;
  country: string | null;
  geoname_id: number | null;
  region: string | null;
  city: string | null;
  tz: string | null;
  referer: string | null;
  method: string;
  url: string | null;
  protocol: string | null;
  host: string | null;
  is_unique: boolean;
  lp_clicked_at: Date | null;
  rule_index: number | null;
  rule_name: string | null;
  bot_name: string | null;
  datacenter: string | null;
}

/** The `visitEvent` shape of SPEC §8 (as in the seed), plus fields the seed lacks. */
export function toVisitEvent(v: VisitRow) {
  return {
    id: v.id,
    type: 'visit' as const,
    payload: {
      query: v.query,
      remaped: v.remaped,
      data: { cost: toJsonNumber(v.cost) ?? 0, costCents: toCents(v.cost), currency: v.cost_currency },
    },
    created_at: v.created_at.toISOString(),
    campaignId: v.campaign_id,
    trafficSourceId: v.traffic_source_id,
    offerId: v.offer_id,
    offerLinkId: v.offer_link_id,
    landingPageId: v.landing_page_id,
    externalId: v.external_id,
    unique: v.is_unique,
    landerClickedAt: v.lp_clicked_at?.toISOString() ?? null,
  };
}

export function visitClient(v: VisitRow) {
  return {
    ip: v.ip,
    forwardedFor: v.forwarded_for,
    ua: v.ua,
    agent: v.agent ?? { family: 'Other', major: null, minor: null, patch: null },
    mobile: v.mobile,
    bot: v.bot,
    botName: v.bot_name ?? null,
    datacenter: v.datacenter != null,
    datacenterProvider: v.datacenter ?? null,
    os: v.os ?? { family: 'Other', major: null, minor: null, patch: null, patchMinor: null },
    device: v.device ?? { family: 'Other', brand: null, model: null },
    lang: v.lang,
  };
}

/** The rule that routed the visit (SPEC §3): `{index, name}`, null when none matched. */
export function visitRule(v: VisitRow): { index: number; name: string | null } | null {
  return v.rule_index === null || v.rule_index === undefined ? null : { index: v.rule_index, name: v.rule_name };
}

export function visitGeo(v: VisitRow) {
  return { country: v.country, geoname_id: v.geoname_id, region: v.region, city: v.city, tz: v.tz };
}

/** `GET /api/v1/clicks/:id`: the visitEvent shape plus the visit's client, geo and request. */
export function toClickView(v: VisitRow) {
  return {
    ...toVisitEvent(v),
    client: visitClient(v),
    geo: visitGeo(v),
    rule: visitRule(v),
    source: { method: v.method, url: v.url, referer: v.referer, protocol: v.protocol, host: v.host },
  };
}
