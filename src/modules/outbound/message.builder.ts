import { normalizeDecimal } from '../../common/money';
import type { ExchangeRates } from '../exchange-rates/exchange-rates.service';
import type { ConversionSnapshot } from './conversion.snapshot';
import { convertAmount } from './currency.converter';
import { customAttributeValue } from './custom-attribute';
import type { Receiver, ReceiverFormat, SubscriptionRecord } from './subscription.types';
import { renderCustom, renderJson, renderTrafficSourceUrl, renderUrl, renderXml, TEMPLATE_ATTRIBUTES, type TemplateValues } from './template.renderer';

/** A rendered request, ready for the outbox. */
export interface RenderedRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body: string | null;
}

export const CONTENT_TYPES: Record<ReceiverFormat, string> = {
  json: 'application/json; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
  custom: 'text/plain; charset=utf-8',
};

const iso = (d: Date | null): string => (d ? d.toISOString() : '');

/** The `${attribute}` values of one message (SPEC §7), before any custom attribute. */
export function templateValues(
  c: ConversionSnapshot,
  message: { messageId: string; sequenceNumber: number },
  amount: { payout: string; currency: string },
): Record<string, string> {
  return {
    messageId: message.messageId,
    sequenceNumber: String(message.sequenceNumber),
    conversionId: c.id,
    clickId: c.visitId ?? c.clickId ?? '',
    externalId: c.externalId ?? '',
    transactionId: c.transactionId ?? '',
    campaignId: c.campaignId ?? '',
    offerId: c.offerId ?? '',
    affiliateNetworkId: c.affiliateNetworkId ?? '',
    trafficSourceId: c.trafficSourceId ?? '',
    payout: amount.payout,
    currency: amount.currency,
    status: c.status,
    conversionType: c.conversionTypeCode ?? c.conversionTypeId,
    timeOfEvent: iso(c.createdAt),
    timeOfVisit: iso(c.visitCreatedAt),
    country: c.country ?? '',
  };
}

/**
 * The payout in the subscription's currency. A currency without a rate (rates changed after
 * the subscription was saved) is sent as it is, in its own currency, rather than not at all.
 */
export function subscriptionAmount(
  c: ConversionSnapshot,
  sub: Pick<SubscriptionRecord, 'currencyConversion'>,
  rates: ExchangeRates | null,
): { payout: string; currency: string } {
  const to = sub.currencyConversion?.to;
  if (to && rates) {
    const converted = convertAmount(c.payout, c.currency, to, rates);
    if (converted !== null) return { payout: converted, currency: to };
  }
  return { payout: normalizeDecimal(c.payout), currency: c.currency };
}

/** The body a POST receiver without `receiverBody` gets: every attribute, in its format. */
export function defaultBodyTemplate(format: ReceiverFormat, extra: string[]): string {
  const names = [...TEMPLATE_ATTRIBUTES, ...extra];
  if (format === 'json') return `{${names.map((n) => `"${n}": "\${${n}}"`).join(', ')}}`;
  if (format === 'xml') return `<conversion>${names.map((n) => `<${n}>\${${n}}</${n}>`).join('')}</conversion>`;
  return names.map((n) => `${n}=\${${n}}`).join(', ');
}

const RENDER_BODY: Record<ReceiverFormat, (t: string, v: TemplateValues) => string> = {
  json: renderJson,
  xml: renderXml,
  custom: renderCustom,
};

/** One receiver's request for one message; values are escaped for where each one lands. */
export function renderReceiver(receiver: Receiver, values: TemplateValues, extra: string[]): RenderedRequest {
  const url = renderUrl(receiver.receiverUrl, values);
  if (receiver.httpMethod === 'GET') return { method: 'GET', url, headers: {}, body: null };
  const format = receiver.receiverFormat === 'tradetracker' ? 'json' : (receiver.receiverFormat ?? 'json');
  const template = receiver.receiverBody ?? defaultBodyTemplate(format, extra);
  return { method: 'POST', url, headers: { 'content-type': CONTENT_TYPES[format] }, body: RENDER_BODY[format](template, values) };
}

/** All values of a subscription message, the custom attribute included. */
export function subscriptionValues(
  c: ConversionSnapshot,
  sub: SubscriptionRecord,
  rates: ExchangeRates | null,
  message: { messageId: string; sequenceNumber: number },
): { values: Record<string, string>; extra: string[] } {
  const values = templateValues(c, message, subscriptionAmount(c, sub, rates));
  const custom = sub.customAttribute;
  if (!custom) return { values, extra: [] };
  return { values: { ...values, [custom.userAttribute]: customAttributeValue(custom, values) }, extra: [custom.userAttribute] };
}

/** SPEC §7: due when the conversion first reaches a listed status and the visit has an externalId. */
export function trafficSourcePostbackDue(c: ConversionSnapshot): boolean {
  return !c.tsPostbackSent && !!c.tsPostbackUrl && !!c.externalId && c.trafficSourceId !== null && c.tsPostbackStatuses.includes(c.status);
}

/** The traffic source's postback URL with its `{macro}`s filled in, percent-encoded. */
export function renderTrafficSourcePostback(c: ConversionSnapshot): RenderedRequest {
  const url = renderTrafficSourceUrl(c.tsPostbackUrl ?? '', {
    external_id: c.externalId,
    click_id: c.visitId ?? c.clickId,
    conversion_id: c.id,
    payout: normalizeDecimal(c.payout),
    currency: c.currency,
    status: c.status,
    conversion_type: c.conversionTypeCode ?? c.conversionTypeId,
    txid: c.transactionId,
  });
  return { method: 'GET', url, headers: {}, body: null };
}
