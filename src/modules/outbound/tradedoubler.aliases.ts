/**
 * Tradedoubler's Conversions API names (issue 13), accepted in subscriptions where they map
 * cleanly onto this tracker's; the subscription is stored with the tracker's names.
 */

/** `${attribute}` aliases: Tradedoubler's name → the tracker's template attribute. */
export const TD_ATTRIBUTE_ALIASES: Readonly<Record<string, string>> = {
  orderNumber: 'transactionId',
  leadNumber: 'transactionId',
  publisherCommission: 'payout',
  commission: 'payout',
  currencyId: 'currency',
  eventId: 'conversionType',
  programId: 'offerId',
  epi: 'clickId',
};

/** Tradedoubler names that have no equivalent here: refused, naming each. */
export const TD_ATTRIBUTES_UNSUPPORTED: Readonly<Record<string, string>> = {
  orderValue: 'the order value is not a message attribute here (payout is the commission)',
  epi2: 'only one click reference (clickId) exists here',
  messageTypeId: 'messages here are not typed; use status and sequenceNumber',
  eventTypeId: 'use conversionType',
  advertiserId: 'use affiliateNetworkId or offerId',
  siteId: 'no publisher sites here; use trafficSourceId',
};

/** Filter aliases: Tradedoubler's filter → the tracker's. */
export const TD_FILTER_ALIASES: Readonly<Record<string, 'offerIds' | 'conversionTypes'>> = {
  programIds: 'offerIds',
  eventIds: 'conversionTypes',
};

/** Tradedoubler filters that cannot be honoured here (a 400 UNSUPPORTED_FILTER names them). */
export const TD_FILTERS_UNSUPPORTED: Readonly<Record<string, string>> = {
  messageTypeIds: 'messages here are not typed by a number; filter on statuses',
  eventTypeIds: 'event types (lead, sale) are conversion types here; filter on conversionTypes',
  siteIds: 'there are no publisher sites here; filter on trafficSourceIds',
};

const ATTRIBUTE = /\$\{([^{}]*)\}/g;

/** The template with every clean alias replaced by the tracker's name. */
export function rewriteAliases(template: string): string {
  return template.replace(ATTRIBUTE, (whole, name: string) => (Object.hasOwn(TD_ATTRIBUTE_ALIASES, name) ? `\${${TD_ATTRIBUTE_ALIASES[name]}}` : whole));
}

/** The attribute name as the tracker calls it. */
export function attributeName(name: string): string {
  return Object.hasOwn(TD_ATTRIBUTE_ALIASES, name) ? TD_ATTRIBUTE_ALIASES[name] : name;
}
