import { DataSource } from 'typeorm';
import { mintId } from '../../src/common/ids';

/** A visit row for report tests, written straight into `visits` (the click writer is not needed). */
export interface VisitFixture {
  at: string;
  campaignId: string;
  offerId?: string | null;
  offerLinkId?: string | null;
  landingPageId?: string | null;
  trafficSourceId?: string | null;
  cost?: string;
  costCurrency?: string;
  country?: string | null;
  region?: string | null;
  city?: string | null;
  os?: string | null;
  browser?: string | null;
  device?: string | null;
  mobile?: boolean;
  bot?: boolean;
  unique?: boolean;
  remaped?: Record<string, string>;
  ruleIndex?: number | null;
  ruleName?: string | null;
  datacenter?: string | null;
}

export interface ConversionFixture {
  at: string;
  visit?: { id: string; at: string; campaignId: string; offerId?: string | null; trafficSourceId?: string | null } | null;
  campaignId?: string | null;
  offerId?: string | null;
  affiliateNetworkId?: string | null;
  conversionTypeId?: string;
  status: 'approved' | 'pending' | 'declined';
  payout: string;
  currency?: string;
}

export async function insertVisit(
  db: DataSource,
  v: VisitFixture,
): Promise<{ id: string; at: string; campaignId: string; offerId: string | null; trafficSourceId: string | null }> {
  const id = mintId(Date.parse(v.at));
  await db.query(
    `INSERT INTO visits (id, created_at, campaign_id, offer_id, offer_link_id, landing_page_id, traffic_source_id, cost, cost_currency,
       country, region, city, os_family, browser, device_family, mobile, bot, is_unique, remaped, rule_index, rule_name, datacenter)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)`,
    [
      id,
      v.at,
      v.campaignId,
      v.offerId ?? null,
      v.offerLinkId ?? null,
      v.landingPageId ?? null,
      v.trafficSourceId ?? null,
      v.cost ?? '0',
      v.costCurrency ?? 'USD',
      v.country ?? null,
      v.region ?? null,
      v.city ?? null,
      v.os ?? null,
      v.browser ?? null,
      v.device ?? null,
      v.mobile ?? false,
      v.bot ?? false,
      v.unique ?? true,
      JSON.stringify({ event_id: id, ...(v.remaped ?? {}) }),
      v.ruleIndex ?? null,
      v.ruleName ?? null,
      v.datacenter ?? null,
    ],
  );
  return { id, at: v.at, campaignId: v.campaignId, offerId: v.offerId ?? null, trafficSourceId: v.trafficSourceId ?? null };
}

export async function insertConversion(db: DataSource, c: ConversionFixture): Promise<string> {
  const id = mintId(Date.parse(c.at));
  await db.query(
    `INSERT INTO conversions (id, created_at, updated_at, dedupe_key, visit_id, visit_created_at, click_id, campaign_id, offer_id,
       traffic_source_id, affiliate_network_id, conversion_type_id, status, payout, currency)
     VALUES ($1, $2, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
    [
      id,
      c.at,
      `fixture:${id}`,
      c.visit?.id ?? null,
      c.visit?.at ?? null,
      c.visit?.id ?? null,
      c.campaignId !== undefined ? c.campaignId : (c.visit?.campaignId ?? null),
      c.offerId !== undefined ? c.offerId : (c.visit?.offerId ?? null),
      c.visit?.trafficSourceId ?? null,
      c.affiliateNetworkId ?? null,
      c.conversionTypeId ?? '1',
      c.status,
      c.payout,
      c.currency ?? 'USD',
    ],
  );
  return id;
}
