import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { factsOf, type ConversionFactsRow, type ConversionStatus } from '../../common/conversion-change';
import type { ExchangeRates } from '../exchange-rates/exchange-rates.service';
import type { ConversionSnapshot } from './conversion.snapshot';
import type { RenderedRequest } from './message.builder';
import { EMPTY_FILTER, type SubscriptionRecord } from './subscription.types';

/** A row for `outbox_messages`. */
export interface NewOutboxMessage {
  id: string;
  conversionId: string;
  kind: 'traffic_source' | 'subscription';
  subscriptionId: string | null;
  receiverIndex: number | null;
  target: string;
  sequenceNumber: number;
  request: RenderedRequest;
  signingSecret: string | null;
  /** Queued paused: its receiver is disabled (it answered 410) until re-enabled. */
  paused?: boolean;
}

interface SnapshotRow extends ConversionFactsRow {
  id: string;
  created_at: Date;
  visit_id: string | null;
  click_id: string | null;
  visit_time: Date | null;
  external_id: string | null;
  transaction_id: string | null;
  status: ConversionStatus;
  payout: string;
  currency: string;
  country: string | null;
  postback_url: string | null;
  postback_statuses: string[] | null;
  sale_amount: string | null;
  extra: Record<string, unknown> | null;
}

const COLUMNS = 13;

/**
 * The outbox writer's queries. Each takes the caller's EntityManager: they run inside the
 * conversion's transaction (on PGlite any other connection would wait for it forever).
 */
@Injectable()
export class OutboxWriterRepository {
  /**
   * The conversion with its visit, traffic source and type, its row locked so two changes of
   * one conversion number their messages one after the other.
   */
  async lockConversionSnapshot(m: EntityManager, conversionId: string): Promise<ConversionSnapshot | null> {
    const rows: SnapshotRow[] = await m.query(
      `SELECT c.id, c.created_at, c.visit_id, c.click_id, COALESCE(v.created_at, c.visit_created_at) AS visit_time,
              v.external_id, c.campaign_id, c.offer_id, c.affiliate_network_id,
              COALESCE(c.traffic_source_id, v.traffic_source_id) AS traffic_source_id,
              c.conversion_type_id, ct.code AS conversion_type_code, c.transaction_id, c.status,
              c.payout::text AS payout, c.currency, COALESCE(v.country, c.country) AS country, c.ts_postback_sent,
              ts.postback_url, ts.postback_statuses, c.sale_amount::text AS sale_amount, c.extra
         FROM conversions c
         LEFT JOIN visits v ON v.id = c.visit_id
         LEFT JOIN conversion_types ct ON ct.id = c.conversion_type_id
         LEFT JOIN traffic_sources ts ON ts.id = COALESCE(c.traffic_source_id, v.traffic_source_id)
        WHERE c.id = $1
          FOR UPDATE OF c`,
      [conversionId],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      id: r.id,
      createdAt: r.created_at,
      visitId: r.visit_id,
      clickId: r.click_id,
      visitCreatedAt: r.visit_time,
      externalId: r.external_id,
      ...factsOf(r),
      transactionId: r.transaction_id,
      status: r.status,
      payout: r.payout,
      currency: r.currency,
      country: r.country,
      tsPostbackUrl: r.postback_url,
      tsPostbackStatuses: r.postback_statuses ?? ['approved'],
      saleAmount: r.sale_amount,
      extra: r.extra,
    };
  }

  async findActiveSubscriptions(m: EntityManager): Promise<SubscriptionRecord[]> {
    const rows: Array<{
      id: string;
      filter: Partial<SubscriptionRecord['filter']> | null;
      receivers: SubscriptionRecord['receivers'];
      currency_conversion: SubscriptionRecord['currencyConversion'];
      custom_attribute: SubscriptionRecord['customAttribute'];
      secret: string | null;
    }> = await m.query(
      `SELECT id, filter, receivers, currency_conversion, custom_attribute, secret
         FROM subscriptions WHERE archived_at IS NULL ORDER BY created_at, id`,
    );
    return rows.map((r) => ({
      id: r.id,
      filter: { ...EMPTY_FILTER, ...(r.filter ?? {}) },
      receivers: r.receivers,
      currencyConversion: r.currency_conversion,
      customAttribute: r.custom_attribute,
      secret: r.secret,
    }));
  }

  /** Postback statuses by traffic source id, for the sources (archived ones too) that have a postback URL. */
  async findTrafficSourcePostbackStatuses(m: EntityManager): Promise<Map<string, string[]>> {
    const rows: Array<{ id: string; postback_statuses: string[] | null }> = await m.query(
      `SELECT id, postback_statuses FROM traffic_sources WHERE postback_url IS NOT NULL AND postback_url <> ''`,
    );
    return new Map(rows.map((r) => [r.id, r.postback_statuses ?? ['approved']]));
  }

  async findExchangeRates(m: EntityManager): Promise<ExchangeRates> {
    const [row] = await m.query(`SELECT value FROM settings WHERE key = 'exchange_rates'`);
    return (row?.value as ExchangeRates) ?? { base: 'USD', rates: {} };
  }

  /** The highest sequence number used so far for each target of a conversion. */
  async findLastSequenceNumbers(m: EntityManager, conversionId: string): Promise<Map<string, number>> {
    const rows: Array<{ target: string; last: number }> = await m.query(
      `SELECT target, max(sequence_number) AS last FROM outbox_messages WHERE conversion_id = $1 GROUP BY target`,
      [conversionId],
    );
    return new Map(rows.map((r) => [r.target, Number(r.last)]));
  }

  /** Sets the "traffic source told" flag; false when it was already set (the postback is sent once). */
  async markTrafficSourcePostbackSent(m: EntityManager, conversionId: string): Promise<boolean> {
    const rows = await m.query(`UPDATE conversions SET ts_postback_sent = true WHERE id = $1 AND NOT ts_postback_sent RETURNING id`, [conversionId]);
    return rowsOf(rows).length === 1;
  }

  async insertMessages(m: EntityManager, messages: NewOutboxMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const params: unknown[] = [];
    const tuples = messages.map((msg, i) => {
      params.push(
        msg.id,
        msg.conversionId,
        msg.kind,
        msg.subscriptionId,
        msg.receiverIndex,
        msg.target,
        msg.sequenceNumber,
        msg.request.method,
        msg.request.url,
        JSON.stringify(msg.request.headers),
        msg.request.body,
        msg.signingSecret,
        msg.paused ? 'paused' : 'pending',
      );
      const p = (k: number) => `$${i * COLUMNS + k}`;
      return `(${p(1)}, now(), ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}::int, ${p(6)}, ${p(7)}::int, ${p(8)}, ${p(9)}, ${p(10)}::jsonb, ${p(11)}, ${p(12)}, ${p(13)}, 0, now(), now())`;
    });
    await m.query(
      `INSERT INTO outbox_messages (id, created_at, conversion_id, kind, subscription_id, receiver_index, target,
         sequence_number, method, url, headers, body, signing_secret, status, attempts, next_attempt_at, updated_at)
       VALUES ${tuples.join(', ')}`,
      params,
    );
  }
}

/** `UPDATE ... RETURNING` answers [rows, count] through TypeORM's postgres driver. */
function rowsOf(result: unknown): unknown[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0];
  return Array.isArray(result) ? result : [];
}
