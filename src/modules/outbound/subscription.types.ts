import type { ConversionStatus } from '../../common/conversion-change';

/** What a subscription is (SPEC §7), as stored in `subscriptions` and used by the outbox writer. */
export interface SubscriptionFilter {
  campaignIds: string[];
  offerIds: string[];
  affiliateNetworkIds: string[];
  trafficSourceIds: string[];
  /** Conversion type ids or codes, case ignored. */
  conversionTypes: string[];
  statuses: ConversionStatus[];
}

export type ReceiverFormat = 'json' | 'xml' | 'custom';

export interface Receiver {
  httpMethod: 'GET' | 'POST';
  receiverUrl: string;
  receiverBody: string | null;
  /** `tradetracker`: a GET of TradeTracker's conversion call, every field filled in by the tracker. */
  receiverFormat: ReceiverFormat | 'tradetracker' | null;
  /** Set when the receiver answered 410 (Standard Webhooks): its messages are paused until re-enabled. */
  disabledAt?: string | null;
  disabledReason?: string | null;
}

export interface CustomAttributeRule {
  inputs: string[];
  output: string;
}

export interface CustomAttribute {
  attributes: string[];
  userAttribute: string;
  rules: CustomAttributeRule[];
}

export interface SubscriptionRecord {
  id: string;
  filter: SubscriptionFilter;
  receivers: Receiver[];
  currencyConversion: { to: string } | null;
  customAttribute: CustomAttribute | null;
  secret: string | null;
}

export const EMPTY_FILTER: SubscriptionFilter = {
  campaignIds: [],
  offerIds: [],
  affiliateNetworkIds: [],
  trafficSourceIds: [],
  conversionTypes: [],
  statuses: [],
};
