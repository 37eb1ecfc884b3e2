import type { ClientInfo } from '../enrichment/enrichment.service';
import { clickCost } from './click.cost';
import type { MacroLookup } from './macro.renderer';
import type { RouteCampaign, RouteDestination, RouteRule } from './route.snapshot';
import { storableQuery, storableText } from './text.sanitizer';
import type { VisitRecord } from './visit.record';

/** The parts of the click request a visit records. */
export interface ClickRequest {
  key: string;
  method: string;
  /** Path and query as received. */
  url: string;
  query: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
  socketIp: string;
  socketProtocol: 'http' | 'https';
}

const MAX_HEADER_TEXT = 2048;

function header(h: ClickRequest['headers'], name: string): string | null {
  const v = h[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s ? storableText(s.slice(0, MAX_HEADER_TEXT)) : null;
}

function firstValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/**
 * The visit of one click, without its id (the writer gives it one): what was asked, where it
 * goes, what it cost, who the client is. Traffic-source params fill `remaped` (present but empty
 * gives "", absent no key) and the click id param becomes `external_id`.
 */
export function buildVisit(req: ClickRequest, campaign: RouteCampaign, dest: RouteDestination, client: ClientInfo, rule: RouteRule | null = null): VisitRecord {
  const query = storableQuery(req.query);
  const source = campaign.trafficSource;
  const remaped: Record<string, string> = { event_id: '' };
  let externalId: string | null = null;
  let reportedCost: string | undefined;
  if (source) {
    for (const slot of source.params) {
      const v = firstValue(query[slot.param]);
      if (v !== undefined) remaped[slot.as] = v;
    }
    if (source.clickIdParam) externalId = firstValue(query[source.clickIdParam]) || null;
    if (source.costParam) reportedCost = firstValue(query[source.costParam]);
  }
  return {
    id: '',
    created_at: '',
    campaign_id: campaign.id,
    traffic_source_id: source?.id ?? null,
    offer_id: dest.offerId,
    offer_link_id: dest.offerLinkId,
    landing_page_id: dest.landingPageId,
    external_id: externalId,
    query,
    remaped,
    cost: clickCost(campaign.cost.model, campaign.cost.amount, reportedCost),
    cost_currency: campaign.cost.currency,
    ip: client.ip,
    forwarded_for: client.forwardedFor === null ? null : storableText(client.forwardedFor.slice(0, MAX_HEADER_TEXT)),
    ua: client.ua === null ? null : storableText(client.ua),
    agent: client.agent,
    os: client.os,
    device: client.device,
    mobile: client.mobile,
    bot: client.bot,
    lang: client.lang === null ? null : storableText(client.lang),
    country: client.geo.country,
    geoname_id: client.geo.geoname_id,
    region: client.geo.region,
    city: client.geo.city,
    tz: client.geo.tz,
    referer: header(req.headers, 'referer'),
    method: req.method,
    url: storableText(req.url),
    protocol: client.protocol,
    host: header(req.headers, 'host'),
    rule_index: rule?.index ?? null,
    rule_name: rule?.name ?? null,
    bot_name: client.botName,
    datacenter: client.datacenter,
  };
}

/** What the macros of SPEC §5 read from a visit. */
export interface MacroSource {
  id: string;
  campaign_id: string;
  offer_id: string | null;
  traffic_source_id: string | null;
  external_id: string | null;
  country: string | null;
  remaped: Record<string, string>;
}

const NO_SLOTS: ReadonlySet<string> = new Set();

/**
 * The macros of SPEC §5 for a visit: its ids, its place, and every remapped slot of the
 * campaign's source (empty when the visit has no value). Any other name is unknown.
 */
export function visitMacros(v: MacroSource, campaign: { key: string; slots: ReadonlySet<string> } | undefined): MacroLookup {
  const campaignKey = campaign?.key ?? '';
  const slots = campaign?.slots ?? NO_SLOTS;
  return (name) => {
    switch (name) {
      case 'click_id':
      case 'subid':
      case 'event_id':
        return v.id;
      case 'campaign_id':
        return v.campaign_id;
      case 'campaign_key':
        return campaignKey;
      case 'offer_id':
        return v.offer_id ?? '';
      case 'traffic_source_id':
        return v.traffic_source_id ?? '';
      case 'external_id':
        return v.external_id ?? '';
      case 'country':
        return v.country ?? '';
      default:
        // Slot names cannot be the reserved names above (traffic-source validation).
        if (Object.hasOwn(v.remaped, name)) return v.remaped[name];
        return slots.has(name) ? '' : undefined;
    }
  };
}
