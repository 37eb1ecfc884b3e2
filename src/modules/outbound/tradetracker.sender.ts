import { normalizeDecimal } from '../../common/money';
import type { ConversionSnapshot } from './conversion.snapshot';
import type { RenderedRequest } from './message.builder';

/**
 * TradeTracker's server-to-server conversion call (issue 13), sent by a subscription receiver
 * with `receiverFormat: "tradetracker"`. `receiverUrl` is TradeTracker's endpoint with the
 * campaign and product: `https://ts.tradetracker.net/?cid=12345&pid=1` (`event=lead` on
 * `tl.tradetracker.net` for leads); the tracker adds, in this order, `tid` (transaction id),
 * `tam` (the sale amount when known, else the payout; none for a lead), `currency`, `qty`,
 * `descrMerchant` (the transaction id), `event`, `data` (the TradeTracker click reference: the
 * visit's external id, colons sent raw as TradeTracker's own template does) and `eml` (the
 * SHA-256 of the normalised e-mail, when the conversion carries one).
 */
export function renderTradeTracker(receiverUrl: string, c: ConversionSnapshot, amount: { payout: string; currency: string }): RenderedRequest {
  const base = new URL(receiverUrl);
  const lead = base.searchParams.get('event') === 'lead';
  const extra = c.extra ?? {};
  const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null);
  const tid = c.transactionId ?? c.id;
  const fields: Array<[string, string | null]> = [
    ['tid', tid],
    ['tam', lead ? null : c.saleAmount != null && c.currency === amount.currency ? normalizeDecimal(c.saleAmount) : amount.payout],
    ['currency', lead ? null : amount.currency],
    ['qty', text(extra.qty) ?? '1'],
    ['descrMerchant', text(extra.descrMerchant) ?? tid],
    ['event', lead ? null : 'sales'],
    ['data', c.externalId],
    ['eml', emailHash(extra)],
  ];
  const kept = [...base.searchParams].filter(([k]) => !fields.some(([name, v]) => name === k && v !== null));
  const query = [
    ...kept.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`),
    ...fields.filter(([, v]) => v !== null).map(([k, v]) => `${k}=${k === 'data' ? encodeURIComponent(v!).replace(/%3A/gi, ':') : encodeURIComponent(v!)}`),
  ];
  return { method: 'GET', url: `${base.origin}${base.pathname}?${query.join('&')}`, headers: {}, body: null };
}

/** A hex SHA-256 already received (`emlSha256`), lower-cased; nothing else is guessed. */
function emailHash(extra: Record<string, unknown>): string | null {
  const v = extra.emlSha256;
  return typeof v === 'string' && /^[0-9a-f]{64}$/i.test(v) ? v.toLowerCase() : null;
}

/** Why a TradeTracker receiver cannot be saved, or null. */
export function tradeTrackerReceiverProblem(receiverUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(receiverUrl);
  } catch {
    return 'not a valid absolute URL';
  }
  if (receiverUrl.includes('${')) return 'a tradetracker receiver takes no ${attribute}: the tracker fills in every field';
  const missing = ['cid', 'pid'].filter((k) => !url.searchParams.get(k));
  return missing.length ? `a tradetracker receiverUrl names the campaign and product: add ${missing.map((k) => `${k}=`).join(' and ')}` : null;
}
