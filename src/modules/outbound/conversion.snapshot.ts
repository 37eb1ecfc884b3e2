import type { ConversionStatus } from '../../common/conversion-change';

/** A conversion with what its messages need of its visit, traffic source and type. */
export interface ConversionSnapshot {
  id: string;
  createdAt: Date;
  visitId: string | null;
  clickId: string | null;
  visitCreatedAt: Date | null;
  externalId: string | null;
  campaignId: string | null;
  offerId: string | null;
  affiliateNetworkId: string | null;
  trafficSourceId: string | null;
  conversionTypeId: string;
  conversionTypeCode: string | null;
  transactionId: string | null;
  status: ConversionStatus;
  /** Exact decimal text, as `numeric` gives it. */
  payout: string;
  currency: string;
  country: string | null;
  /** The sale amount the call reported (exact text), and the call's extra fields (TradeTracker sender). */
  saleAmount?: string | null;
  extra?: Record<string, unknown> | null;
  tsPostbackSent: boolean;
  tsPostbackUrl: string | null;
  tsPostbackStatuses: string[];
}
