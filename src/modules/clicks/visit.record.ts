import { idTime } from '../../common/ids';
import type { ParsedUserAgent } from '../enrichment/user-agent.parser';

/** One visit as the batch INSERT takes it (JSON, snake_case = the visits columns). */
export interface VisitRecord {
  id: string;
  created_at: string;
  campaign_id: string;
  traffic_source_id: string | null;
  offer_id: string;
  offer_link_id: string | null;
  landing_page_id: string | null;
  external_id: string | null;
  query: Record<string, string | string[]>;
  /** `event_id` first, then the traffic source's slots (SPEC §3). */
  remaped: Record<string, string>;
  cost: string;
  cost_currency: string;
  ip: string | null;
  forwarded_for: string | null;
  ua: string | null;
  agent: ParsedUserAgent['agent'];
  os: ParsedUserAgent['os'];
  device: ParsedUserAgent['device'];
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
  /** The rule that picked the destination (SPEC §3), null when none matched. */
  rule_index: number | null;
  rule_name: string | null;
  bot_name: string | null;
  /** The cloud provider of the address, null when none. */
  datacenter: string | null;
}

/** Gives the visit its click id; its time is the id's time, so ids and created_at agree. */
export function assignId(r: VisitRecord, id: string): void {
  r.id = id;
  r.created_at = idTime(id).toISOString();
  r.remaped.event_id = id;
}
