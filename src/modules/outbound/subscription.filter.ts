import type { ConversionStatus } from '../../common/conversion-change';
import type { SubscriptionFilter } from './subscription.types';

/** The facts of a conversion a subscription filter looks at. */
export interface FilterSubject {
  campaignId: string | null;
  offerId: string | null;
  affiliateNetworkId: string | null;
  trafficSourceId: string | null;
  conversionTypeId: string;
  conversionTypeCode: string | null;
  status: ConversionStatus;
}

function allows(list: readonly string[] | undefined, value: string | null): boolean {
  return !list || list.length === 0 || (value !== null && list.includes(value));
}

/** SPEC §7: every list that is absent or empty lets anything through; the rest must all match. */
export function passesFilter(filter: Partial<SubscriptionFilter>, c: FilterSubject): boolean {
  const types = filter.conversionTypes ?? [];
  const typeMatches =
    types.length === 0 ||
    types.some((t) => {
      const wanted = t.toLowerCase();
      return wanted === c.conversionTypeId.toLowerCase() || (c.conversionTypeCode !== null && wanted === c.conversionTypeCode.toLowerCase());
    });
  return (
    typeMatches &&
    allows(filter.campaignIds, c.campaignId) &&
    allows(filter.offerIds, c.offerId) &&
    allows(filter.affiliateNetworkIds, c.affiliateNetworkId) &&
    allows(filter.trafficSourceIds, c.trafficSourceId) &&
    allows(filter.statuses, c.status)
  );
}
