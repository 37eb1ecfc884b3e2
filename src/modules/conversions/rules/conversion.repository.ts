import { Injectable } from '@nestjs/common';
import { factsOf, type ConversionFacts, type ConversionFactsRow } from '../../../common/conversion-change';
import type { ConversionStatus } from '../intake/adapters/adapter.types';
import type { ConversionPatch, ExistingConversion } from './conversion.rules';
import { cleanNullable, jsonParam } from '../../../common/db-text';
import type { Queryable } from '../inbound-log/postback-log.repository';
import { logRecord, type PostbackLogRow } from '../inbound-log/postback-log.row';

/** A conversion the click writer attributed, with what its messages are decided by. */
export interface AttributedConversion {
  conversionId: string;
  status: ConversionStatus;
  /** The offer's terms changed its payout. */
  payoutChanged: boolean;
  previousNetworkId: string | null;
  facts: ConversionFacts;
}

interface AttributedRow extends ConversionFactsRow {
  conversion_id: string;
  previous_network_id: string | null;
  payout_changed: boolean;
  status: ConversionStatus;
}

/** A conversion about to be written, every column of `conversions`. */
export interface NewConversionRow {
  id: string;
  createdAt: Date;
  dedupeKey: string;
  visitId: string | null;
  visitCreatedAt: Date | null;
  clickId: string;
  campaignId: string | null;
  trafficSourceId: string | null;
  offerId: string | null;
  offerLinkId: string | null;
  landingPageId: string | null;
  affiliateNetworkId: string | null;
  conversionTypeId: string;
  transactionId: string | null;
  status: ConversionStatus;
  payout: string;
  currency: string;
  reportedAmount: string | null;
  saleAmount: string | null;
  lastSequence: number | null;
  country: string | null;
  source: object;
  client: object;
  geo: object;
  extra: object;
  postbackId: string;
}

/** A conversion to create, with what goes with it. */
export interface NewConversion {
  row: NewConversionRow;
  /** A second dedupe key that must not be taken either (the call's key while its click was unknown). */
  absentKey: string | null;
  /** The note of its first history row. */
  note: string;
  /** Its inbound log entry. */
  log: PostbackLogRow;
}

function conversionRecord(row: NewConversionRow): Record<string, unknown> {
  return {
    id: row.id,
    created_at: row.createdAt,
    updated_at: row.createdAt,
    dedupe_key: row.dedupeKey,
    visit_id: row.visitId,
    visit_created_at: row.visitCreatedAt,
    click_id: row.clickId,
    campaign_id: row.campaignId,
    traffic_source_id: row.trafficSourceId,
    offer_id: row.offerId,
    offer_link_id: row.offerLinkId,
    landing_page_id: row.landingPageId,
    affiliate_network_id: row.affiliateNetworkId,
    conversion_type_id: row.conversionTypeId,
    transaction_id: row.transactionId,
    status: row.status,
    payout: row.payout,
    currency: row.currency,
    reported_amount: row.reportedAmount,
    sale_amount: row.saleAmount,
    last_sequence: row.lastSequence,
    country: row.country,
    source: row.source,
    client: row.client,
    geo: row.geo,
    extra: row.extra,
    postback_id: row.postbackId,
  };
}

/** The click fields a conversion copies when it is attributed. */
export interface Attribution {
  visitId: string;
  visitCreatedAt: Date;
  campaignId: string;
  trafficSourceId: string | null;
  offerId: string | null;
  offerLinkId: string | null;
  landingPageId: string | null;
  country: string | null;
  affiliateNetworkId: string | null;
  dedupeKey: string;
}

export interface HistoryEntry {
  conversionId: string;
  createdAt: Date;
  status: ConversionStatus;
  payout: string;
  /** The payout's currency (SPEC §6 Amounts: it travels with the amount). */
  currency: string;
  reportedAmount: string | null;
  sequenceNumber: number | null;
  /** The inbound log entry of the call that made the change; null for a change by hand. */
  postbackId: string | null;
  note: string | null;
  /** Written for a change by hand; absent, the view derives it from the inbound log entry (postback, upload). */
  source?: 'manual';
  /** The API key's name, for a change by hand. */
  actor?: string | null;
}

const EXISTING_COLUMNS =
  'c.id, c.status, c.payout, c.currency, c.reported_amount, c.sale_amount, c.last_sequence, c.click_id, c.visit_id, ' +
  'c.campaign_id, c.offer_id, c.affiliate_network_id, c.traffic_source_id, c.conversion_type_id, c.ts_postback_sent, ' +
  'o.payout_type, o.payout_amount, o.payout_currency';

/** A locked conversion with the payout terms of its offer (none while unattributed). */
export interface LockedConversion extends ExistingConversion {
  campaign_id: string | null;
  offer_id: string | null;
  affiliate_network_id: string | null;
  traffic_source_id: string | null;
  conversion_type_id: string;
  ts_postback_sent: boolean;
  payout_type: 'fixed' | 'dynamic' | null;
  payout_amount: string | null;
  payout_currency: string | null;
}

@Injectable()
export class ConversionRepository {
  /**
   * New conversions, in order, with their first history rows and inbound log entries, in one call
   * of `conversion_insert_new` (set-based; the session keeps its plans). A conversion whose dedupe
   * key (also by an earlier one here) or absent key is taken is not written, nor its history or
   * log entry. Answers the ids written.
   */
  async insertNew(m: Queryable, items: readonly NewConversion[]): Promise<Set<string>> {
    if (items.length === 0) return new Set();
    const payload = items.map((it) => ({ conversion: conversionRecord(it.row), absent_key: it.absentKey, note: it.note, log: logRecord(it.log) }));
    const rows: { conversion_insert_new: string }[] = await m.query(`SELECT conversion_insert_new($1::jsonb)`, [jsonParam(payload)]);
    return new Set(rows.map((r) => r.conversion_insert_new));
  }

  /** The conversion holding this dedupe key, locked until the transaction ends. */
  async lockByDedupeKey(m: Queryable, dedupeKey: string): Promise<LockedConversion | null> {
    const rows: LockedConversion[] = await m.query(
      `SELECT ${EXISTING_COLUMNS} FROM conversions c LEFT JOIN offers o ON o.id = c.offer_id WHERE c.dedupe_key = $1 FOR UPDATE OF c`,
      [dedupeKey],
    );
    return rows[0] ?? null;
  }

  /** The conversion, locked for the caller's transaction, with its offer's payout terms. */
  async lockById(m: Queryable, id: string): Promise<LockedConversion | null> {
    const rows: LockedConversion[] = await m.query(
      `SELECT ${EXISTING_COLUMNS} FROM conversions c LEFT JOIN offers o ON o.id = c.offer_id WHERE c.id = $1 FOR UPDATE OF c`,
      [id],
    );
    return rows[0] ?? null;
  }

  async applyPatch(m: Queryable, id: string, patch: ConversionPatch, at: Date): Promise<void> {
    await m.query(
      `UPDATE conversions SET
         status = COALESCE($2, status), payout = COALESCE($3::numeric, payout), currency = COALESCE($4, currency),
         reported_amount = COALESCE($5::numeric, reported_amount), sale_amount = COALESCE($6::numeric, sale_amount),
         last_sequence = COALESCE($7::bigint, last_sequence), updated_at = $8
       WHERE id = $1`,
      [
        id,
        patch.status ?? null,
        patch.payout ?? null,
        patch.currency ?? null,
        patch.reportedAmount ?? null,
        patch.saleAmount ?? null,
        patch.lastSequence ?? null,
        at,
      ],
    );
  }

  /** Ties an unattributed conversion to the click that has now appeared. */
  async attribute(m: Queryable, id: string, a: Attribution): Promise<void> {
    await m.query(
      `UPDATE conversions SET visit_id = $2, visit_created_at = $3, campaign_id = $4, traffic_source_id = $5, offer_id = $6,
         offer_link_id = $7, landing_page_id = $8, country = $9, affiliate_network_id = COALESCE(affiliate_network_id, $10),
         dedupe_key = $11
       WHERE id = $1 AND visit_id IS NULL`,
      [
        id,
        a.visitId,
        a.visitCreatedAt,
        a.campaignId,
        a.trafficSourceId,
        a.offerId,
        a.offerLinkId,
        a.landingPageId,
        a.country,
        a.affiliateNetworkId,
        a.dedupeKey,
      ],
    );
  }

  /** Adds keys to a conversion's `extra` (what the network said besides the standard fields). */
  async mergeExtra(m: Queryable, id: string, extra: Record<string, string>): Promise<void> {
    await m.query(`UPDATE conversions SET extra = extra || $2::jsonb WHERE id = $1`, [id, JSON.stringify(extra)]);
  }

  async insertHistory(m: Queryable, h: HistoryEntry): Promise<void> {
    await m.query(
      `INSERT INTO conversion_history (conversion_id, created_at, status, payout, currency, reported_amount, sequence_number, postback_id, note, source, actor)
       VALUES ($1, $2, $3, $4::numeric, $5, $6::numeric, $7::bigint, $8, $9, $10, $11)`,
      [
        h.conversionId,
        h.createdAt,
        h.status,
        h.payout,
        h.currency,
        h.reportedAmount,
        h.sequenceNumber,
        h.postbackId,
        cleanNullable(h.note),
        h.source ?? null,
        cleanNullable(h.actor ?? null),
      ],
    );
  }
  /** Whether the click writer left attributed conversions to announce. */
  async anyAttributed(m: Queryable): Promise<boolean> {
    const rows: unknown[] = await m.query(`SELECT 1 FROM conversion_attributions LIMIT 1`);
    return rows.length > 0;
  }

  /**
   * Takes up to `limit` conversions the click writer attributed (conversion_attributions) and
   * deletes their rows, in the caller's transaction: they are announced exactly when it commits.
   * Rows another process is taking are skipped.
   */
  async takeAttributed(m: Queryable, limit: number): Promise<AttributedConversion[]> {
    const rows: AttributedRow[] = await m.query(
      `WITH taken AS (
         DELETE FROM conversion_attributions a
         WHERE a.conversion_id IN (
           SELECT conversion_id FROM conversion_attributions ORDER BY created_at, conversion_id LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING a.conversion_id, a.previous_network_id, a.payout_changed)
       SELECT t.conversion_id, t.previous_network_id, t.payout_changed, c.status, c.campaign_id, c.offer_id,
              c.affiliate_network_id, c.traffic_source_id, c.conversion_type_id, ct.code AS conversion_type_code, c.ts_postback_sent
       FROM taken t JOIN conversions c ON c.id = t.conversion_id LEFT JOIN conversion_types ct ON ct.id = c.conversion_type_id
       ORDER BY t.conversion_id`,
      [limit],
    );
    return rows.map((r) => ({
      conversionId: r.conversion_id,
      status: r.status,
      payoutChanged: r.payout_changed,
      previousNetworkId: r.previous_network_id,
      facts: factsOf(r),
    }));
  }
}
