import type { EntityManager } from 'typeorm';

export type ConversionStatus = 'pending' | 'approved' | 'declined';

/**
 * The conversion's fields that decide its messages, as the change left them. With them the
 * outbox can tell, without reading the row, that a change has no message to write.
 */
export interface ConversionFacts {
  campaignId: string | null;
  offerId: string | null;
  affiliateNetworkId: string | null;
  trafficSourceId: string | null;
  conversionTypeId: string;
  conversionTypeCode: string | null;
  /** Whether the traffic source postback was already queued for it. */
  tsPostbackSent: boolean;
}

/** The facts as the `conversions` row (with its type's code) holds them. */
export interface ConversionFactsRow {
  campaign_id: string | null;
  offer_id: string | null;
  affiliate_network_id: string | null;
  traffic_source_id: string | null;
  conversion_type_id: string;
  conversion_type_code: string | null;
  ts_postback_sent: boolean;
}

export function factsOf(r: ConversionFactsRow): ConversionFacts {
  return {
    campaignId: r.campaign_id,
    offerId: r.offer_id,
    affiliateNetworkId: r.affiliate_network_id,
    trafficSourceId: r.traffic_source_id,
    conversionTypeId: r.conversion_type_id,
    conversionTypeCode: r.conversion_type_code,
    tsPostbackSent: r.ts_postback_sent,
  };
}

/**
 * What the conversion service tells the outbox, inside the transaction that made the change
 * (SPEC §7: messages are written with the change, so none is lost or sent for a rollback).
 */
export interface ConversionChange {
  conversionId: string;
  /**
   * `created`: the conversion was inserted in this transaction, so it has no message yet.
   * `attributed`: a conversion that waited for its click has it now (campaign, offer, traffic
   * source), its status and amount unchanged: only those who had not heard of it are told.
   */
  kind: 'created' | 'status_changed' | 'amount_changed' | 'attributed';
  previousStatus: ConversionStatus | null;
  status: ConversionStatus;
  occurredAt: Date;
  /** Absent: the outbox reads the conversion to decide. */
  facts?: ConversionFacts;
  /** For `attributed`: the facts before, so subscribers whose filter already passed are not told twice. */
  heardWith?: ConversionFacts;
}

/** Implemented by the outbound module; the conversion service calls it with its transaction. */
export abstract class ConversionChangeListener {
  abstract onConversionChanged(manager: EntityManager, change: ConversionChange): Promise<void>;

  /**
   * False when the change, with its facts, certainly gets no message, so the conversion service
   * may commit it without calling `onConversionChanged` (as of now: a setting changed after this
   * is seen by the next call). True when it cannot tell. `manager` may be outside a transaction.
   */
  abstract mayWrite(manager: EntityManager, change: ConversionChange): Promise<boolean>;
}
