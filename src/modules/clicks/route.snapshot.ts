import type { CampaignRule, CampaignStatus, CostModel, Destination } from '../campaigns/campaign.entity';
import type { ParamSlot } from '../traffic-sources/traffic-source.entity';
import { compileTemplate, type UrlTemplate } from './macro.renderer';
import { compileWhen, needsUnique, type Predicate } from './rule.matcher';

/** Rows the route cache is built from (plain SQL, see route.repository.ts). */
export interface RouteRows {
  campaigns: {
    id: string;
    key: string;
    status: CampaignStatus;
    traffic_source_id: string | null;
    cost_model: CostModel;
    cost_amount: string;
    cost_currency: string;
    destinations: Destination[];
    rules?: CampaignRule[];
    fallback_url: string | null;
  }[];
  offers: { id: string; url: string }[];
  offerLinks: { id: string; offer_id: string; url: string }[];
  landingPages: { id: string; url: string }[];
  trafficSources: { id: string; click_id_param: string | null; cost_param: string | null; params: ParamSlot[] }[];
}

export interface RouteTrafficSource {
  id: string;
  clickIdParam: string | null;
  costParam: string | null;
  params: readonly ParamSlot[];
}

export interface RouteOffer {
  id: string;
  url: UrlTemplate;
}

/** A destination's cap, compiled: `key` names its counter (campaign, path, position, offer). */
export interface RouteCap {
  key: string;
  campaignId: string;
  offerId: string;
  clicks: number | null;
  conversions: number | null;
  per: 'day' | 'total';
  tz: string;
}

export interface RouteDestination {
  /** SPEC §3 caps; null: uncapped. */
  cap: RouteCap | null;
  offerId: string;
  offerLinkId: string | null;
  landingPageId: string | null;
  weight: number;
  /** Where the click goes: the lander when there is one, else the offer (link). */
  first: UrlTemplate;
}

/** A campaign rule, compiled (SPEC §3): the first whose `match` is true picks among its destinations. */
export interface RouteRule {
  /** Position in the campaign's `rules`, from 0. */
  index: number;
  name: string;
  match: Predicate;
  destinations: readonly RouteDestination[];
}

export interface RouteCampaign {
  id: string;
  key: string;
  /** Paused and archived campaigns answer with their fallback (SPEC §4). */
  active: boolean;
  fallbackUrl: string | null;
  trafficSource: RouteTrafficSource | null;
  /** The source's slot names: their macros render empty when a visit has no value. */
  slots: ReadonlySet<string>;
  cost: { model: CostModel; amount: string; currency: string };
  /** Only destinations that can be followed (weight above 0, offer present). */
  destinations: readonly RouteDestination[];
  /** In order; empty: every click takes `destinations`. */
  rules: readonly RouteRule[];
  /** Some rule asks whether the visitor is new (a look-up before the rules run). */
  rulesNeedUnique: boolean;
}

/** Everything a click or a lander click-through needs, held in memory. */
export interface RouteSnapshot {
  byKey: ReadonlyMap<string, RouteCampaign>;
  byId: ReadonlyMap<string, RouteCampaign>;
  offers: ReadonlyMap<string, RouteOffer>;
  /** Offer link templates by link id. */
  links: ReadonlyMap<string, UrlTemplate>;
}

export const EMPTY_SNAPSHOT: RouteSnapshot = { byKey: new Map(), byId: new Map(), offers: new Map(), links: new Map() };

/**
 * Compiles the rows into lookups. Archived offers, links and landing pages are still followed
 * while a campaign names them: what a campaign routes to is the campaign's to decide.
 */
export function buildSnapshot(rows: RouteRows): RouteSnapshot {
  const offers = new Map<string, RouteOffer>();
  for (const o of rows.offers) offers.set(o.id, { id: o.id, url: compileTemplate(o.url) });
  const links = new Map<string, UrlTemplate>();
  const linkOffer = new Map<string, string>();
  for (const l of rows.offerLinks) {
    links.set(l.id, compileTemplate(l.url));
    linkOffer.set(l.id, l.offer_id);
  }
  const landers = new Map<string, UrlTemplate>();
  for (const p of rows.landingPages) landers.set(p.id, compileTemplate(p.url));
  const sources = new Map<string, RouteTrafficSource>();
  for (const s of rows.trafficSources)
    sources.set(s.id, { id: s.id, clickIdParam: s.click_id_param, costParam: s.cost_param, params: Array.isArray(s.params) ? s.params : [] });

  const compileDestinations = (list: Destination[] | undefined, campaignId: string, path: string): RouteDestination[] => {
    const out: RouteDestination[] = [];
    for (const [position, d] of (Array.isArray(list) ? list : []).entries()) {
      const offer = offers.get(d.offerId);
      const weight = Number(d.weight ?? 100);
      if (!offer || !(weight > 0)) continue;
      // A link that is gone or belongs to another offer is ignored: the offer's own URL is used.
      const linkId = d.offerLinkId && linkOffer.get(d.offerLinkId) === d.offerId ? d.offerLinkId : null;
      const lander = d.landingPageId ? landers.get(d.landingPageId) : undefined;
      const cap = d.cap && (d.cap.clicks || d.cap.conversions) ? d.cap : null;
      out.push({
        cap: cap
          ? {
              key: `${campaignId}:${path}:${position}:${offer.id}`,
              campaignId,
              offerId: offer.id,
              clicks: cap.clicks ?? null,
              conversions: cap.conversions ?? null,
              per: cap.per === 'total' ? 'total' : 'day',
              tz: cap.tz || 'UTC',
            }
          : null,
        offerId: offer.id,
        offerLinkId: linkId,
        landingPageId: lander ? d.landingPageId : null,
        weight,
        first: lander ?? (linkId ? links.get(linkId)! : offer.url),
      });
    }
    return out;
  };

  const byKey = new Map<string, RouteCampaign>();
  const byId = new Map<string, RouteCampaign>();
  for (const c of rows.campaigns) {
    const destinations = compileDestinations(c.destinations, c.id, 'main');
    const trafficSource = c.traffic_source_id ? (sources.get(c.traffic_source_id) ?? null) : null;
    const ruleContext = { slots: trafficSource?.params ?? [] };
    const rules: RouteRule[] = (Array.isArray(c.rules) ? c.rules : []).map((r, index) => ({
      index,
      name: r.name,
      match: compileWhen(r.when ?? {}, ruleContext),
      destinations: compileDestinations(r.destinations, c.id, `rule${index}`),
    }));
    const campaign: RouteCampaign = {
      id: c.id,
      key: c.key,
      active: c.status === 'active',
      fallbackUrl: c.fallback_url,
      trafficSource,
      slots: new Set(trafficSource?.params.map((p) => p.as) ?? []),
      cost: { model: c.cost_model, amount: c.cost_amount, currency: c.cost_currency },
      destinations,
      rules,
      rulesNeedUnique: (Array.isArray(c.rules) ? c.rules : []).some((r) => needsUnique(r.when ?? {})),
    };
    byKey.set(c.key, campaign);
    byId.set(c.id, campaign);
  }
  return { byKey, byId, offers, links };
}
