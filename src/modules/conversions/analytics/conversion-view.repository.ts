import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { idFloor } from '../../../common/ids';
import type { PageRequest } from '../../../common/paging';
import { SqlConditions } from '../../../common/sql-conditions';
import type { VisitRow } from '../../clicks/visit.mapper';

/** Visit columns read with a conversion, each as `v_<name>`. */
const VISIT_COLUMNS: readonly (keyof VisitRow)[] = [
  'id',
  'created_at',
  'campaign_id',
  'traffic_source_id',
  'offer_id',
  'offer_link_id',
  'landing_page_id',
  'external_id',
  'query',
  'remaped',
  'cost',
  'cost_currency',
  'ip',
  'forwarded_for',
  'ua',
  'agent',
  'os',
  'device',
  'mobile',
  'bot',
  'lang',
  'country',
  'geoname_id',
  'region',
  'city',
  'tz',
  'referer',
  'method',
  'url',
  'protocol',
  'host',
  'is_unique',
  'lp_clicked_at',
];

export interface HistoryItem {
  createdAt: string;
  status: string;
  payout: string;
  /** Null on rows written before history kept it. */
  currency: string | null;
  reportedAmount: string | null;
  sequenceNumber: number | null;
  postbackId: string | null;
  note: string | null;
  /** What made the change: `postback`, `upload`, `click` (a late attribution) or `manual`. */
  source: string | null;
  /** The API key's name, for a change by hand. */
  actor: string | null;
}

/** One conversion with everything its SPEC §8 payload names, from one query. */
export interface ConversionViewRow {
  id: string;
  created_at: Date;
  updated_at: Date;
  status: string;
  payout: string;
  currency: string;
  transaction_id: string | null;
  click_id: string | null;
  reported_amount: string | null;
  sale_amount: string | null;
  source: Record<string, unknown>;
  client: Record<string, unknown>;
  geo: Record<string, unknown>;
  extra: Record<string, unknown>;
  conversion_type_id: string;
  type_code: string | null;
  call_network_id: string | null;
  campaign_id: string | null;
  campaign_name: string | null;
  campaign_key: string | null;
  category: string | null;
  ts_id: string | null;
  ts_name: string | null;
  /** The traffic source's parameter remapping (`[{param, as}]`): the slots a destination URL may name. */
  ts_params: { param: string; as: string }[] | null;
  offer_id: string | null;
  offer_name: string | null;
  offer_url: string | null;
  network_id: string | null;
  network_name: string | null;
  link_id: string | null;
  link_name: string | null;
  link_url: string | null;
  lp_id: string | null;
  lp_name: string | null;
  history: HistoryItem[];
  [visitColumn: `v_${string}`]: unknown;
}

export interface ConversionFilters {
  campaignId?: string;
  offerId?: string;
  affiliateNetworkId?: string;
  trafficSourceId?: string;
  status?: string;
}

const SELECT = `
  SELECT c.id, c.created_at, c.updated_at, c.status, c.payout, c.currency, c.transaction_id, c.click_id, c.reported_amount,
         c.sale_amount, c.source, c.client, c.geo, c.extra, c.conversion_type_id, ct.code AS type_code,
         c.affiliate_network_id AS call_network_id,
         cp.id AS campaign_id, cp.name AS campaign_name, cp.key AS campaign_key, cp.category,
         ts.id AS ts_id, ts.name AS ts_name, ts.params AS ts_params,
         o.id AS offer_id, o.name AS offer_name, o.url AS offer_url,
         an.id AS network_id, an.name AS network_name,
         ol.id AS link_id, ol.name AS link_name, ol.url AS link_url,
         lp.id AS lp_id, lp.name AS lp_name,
         ${VISIT_COLUMNS.map((col) => `v.${col} AS v_${col}`).join(', ')},
         (SELECT COALESCE(jsonb_agg(jsonb_build_object(
                   'createdAt', to_char(h.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                   'status', h.status, 'payout', h.payout::text, 'currency', h.currency, 'reportedAmount', h.reported_amount::text,
                   'sequenceNumber', h.sequence_number, 'postbackId', h.postback_id, 'note', h.note,
                   'source', COALESCE(h.source, CASE WHEN p.endpoint = 'upload' THEN 'upload' WHEN h.postback_id IS NOT NULL THEN 'postback' END),
                   'actor', h.actor) ORDER BY h.id), '[]'::jsonb)
            FROM conversion_history h LEFT JOIN postbacks p ON p.id = h.postback_id WHERE h.conversion_id = c.id) AS history
    FROM conversions c
    LEFT JOIN conversion_types ct ON ct.id = c.conversion_type_id
    LEFT JOIN visits v ON v.id = c.visit_id
    LEFT JOIN campaigns cp ON cp.id = c.campaign_id
    LEFT JOIN traffic_sources ts ON ts.id = c.traffic_source_id
    LEFT JOIN offers o ON o.id = c.offer_id
    LEFT JOIN affiliate_networks an ON an.id = o.affiliate_network_id
    LEFT JOIN offer_links ol ON ol.id = c.offer_link_id
    LEFT JOIN landing_pages lp ON lp.id = c.landing_page_id`;

@Injectable()
export class ConversionViewRepository {
  constructor(private readonly db: DataSource) {}

  async findView(id: string): Promise<ConversionViewRow | null> {
    const rows: ConversionViewRow[] = await this.db.query(`${SELECT} WHERE c.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** Newest first by the time-ordered id (keyset on the primary key); `limit + 1` rows. */
  listViews(page: PageRequest, f: ConversionFilters): Promise<ConversionViewRow[]> {
    const c = new SqlConditions();
    if (page.from) c.add((p) => `c.id >= ${p}`, idFloor(page.from));
    if (page.to) c.add((p) => `c.id < ${p}`, idFloor(page.to));
    if (page.after) c.add((p) => `c.id < ${p}`, page.after.id);
    if (f.campaignId) c.eq('c.campaign_id', f.campaignId);
    if (f.offerId) c.eq('c.offer_id', f.offerId);
    if (f.trafficSourceId) c.eq('c.traffic_source_id', f.trafficSourceId);
    // The network that reported it or the offer's network (the one the payload shows).
    if (f.affiliateNetworkId) c.add((p) => `(c.affiliate_network_id = ${p} OR o.affiliate_network_id = ${p})`, f.affiliateNetworkId);
    if (f.status) c.eq('c.status', f.status);
    const limit = c.limit(page.limit + 1);
    return this.db.query(`${SELECT} ${c.where} ORDER BY c.id DESC LIMIT ${limit}`, c.params);
  }
}
