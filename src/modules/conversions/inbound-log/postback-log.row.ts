import { cleanNullable, cleanText, jsonParam } from '../../../common/db-text';
import type { LoggedResult } from '../intake/intake.outcome';

/** One inbound log entry (table `postbacks`), secrets already redacted. */
export interface PostbackLogEntry {
  id: string;
  createdAt: Date;
  /** The adapter that read the call: generic, pixel, trackdesk, tradedoubler, tradetracker. */
  endpoint: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | null;
  ip: string | null;
  affiliateNetworkId: string | null;
  notes: string[];
  replayOf: string | null;
}

export type PostbackLogRow = PostbackLogEntry & LoggedResult;

/** Column order shared by every INSERT into `postbacks`. */
export const LOG_COLUMNS =
  'id, created_at, endpoint, method, url, headers, body, ip, affiliate_network_id, outcome, code, reason, notes, conversion_id, replay_of';

export function logValues(row: PostbackLogRow): unknown[] {
  return [
    row.id,
    row.createdAt,
    row.endpoint,
    cleanText(row.method),
    cleanText(row.url),
    jsonParam(row.headers),
    cleanNullable(row.body),
    row.ip,
    row.affiliateNetworkId,
    row.outcome,
    row.code,
    cleanNullable(row.reason),
    jsonParam(row.notes),
    row.conversionId,
    row.replayOf,
  ];
}

/** `$a, $b, ...` for LOG_COLUMNS starting at parameter number `first`. */
export function logPlaceholders(first: number): string {
  const casts = ['', '::timestamptz', '', '', '', '::jsonb', '', '', '', '', '', '', '::jsonb', '', ''];
  return casts.map((cast, i) => `$${first + i}${cast}`).join(', ');
}

/** The entry keyed by the `postbacks` column names, for `jsonb_populate_record`. */
export function logRecord(row: PostbackLogRow): Record<string, unknown> {
  return {
    id: row.id,
    created_at: row.createdAt,
    endpoint: row.endpoint,
    method: row.method,
    url: row.url,
    headers: row.headers,
    body: row.body,
    ip: row.ip,
    affiliate_network_id: row.affiliateNetworkId,
    outcome: row.outcome,
    code: row.code,
    reason: row.reason,
    notes: row.notes,
    conversion_id: row.conversionId,
    replay_of: row.replayOf,
  };
}
