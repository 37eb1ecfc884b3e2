import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Queryable } from '../inbound-log/postback-log.repository';

export interface OfferPayout {
  type: 'fixed' | 'dynamic';
  amount: string;
  currency: string;
}

/** The click a conversion names, with what the conversion copies from it (SPEC §6). */
export interface ClickContext {
  visitId: string;
  visitCreatedAt: Date;
  campaignId: string;
  trafficSourceId: string | null;
  offerId: string | null;
  offerLinkId: string | null;
  landingPageId: string | null;
  country: string | null;
  /** The offer's network: the call's network when the path names none. */
  offerNetworkId: string | null;
  offer: OfferPayout | null;
}

interface ClickRow {
  id: string;
  created_at: Date;
  campaign_id: string;
  traffic_source_id: string | null;
  offer_id: string | null;
  offer_link_id: string | null;
  landing_page_id: string | null;
  country: string | null;
  affiliate_network_id: string | null;
  payout_type: 'fixed' | 'dynamic' | null;
  payout_amount: string | null;
  payout_currency: string | null;
}

@Injectable()
export class ClickContextRepository {
  constructor(private readonly db: DataSource) {}

  /** The clicks among `ids` that exist, by id (one call of `conversion_click_context`, whose plan the session keeps). */
  async findClicks(ids: readonly string[], via: Queryable = this.db): Promise<Map<string, ClickContext>> {
    const rows: ClickRow[] = await via.query(`SELECT * FROM conversion_click_context($1::text[])`, [ids]);
    return new Map(rows.map((r) => [r.id, toContext(r)]));
  }
}

function toContext(r: ClickRow): ClickContext {
  return {
    visitId: r.id,
    visitCreatedAt: r.created_at,
    campaignId: r.campaign_id,
    trafficSourceId: r.traffic_source_id,
    offerId: r.offer_id,
    offerLinkId: r.offer_link_id,
    landingPageId: r.landing_page_id,
    country: r.country,
    offerNetworkId: r.affiliate_network_id,
    offer: r.payout_type ? { type: r.payout_type, amount: r.payout_amount ?? '0', currency: r.payout_currency ?? 'USD' } : null,
  };
}
