import { normalizeDecimal } from '../../common/money';
import type { ExchangeRates } from '../exchange-rates/exchange-rates.service';

/** Decimals a converted amount keeps: enough for any currency's minor unit and for rates. */
export const CONVERTED_DECIMALS = 6;

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** A decimal string as an integer and a power of ten: `12.50` -> 1250n / 10^2. */
function parse(amount: string): { units: bigint; scale: number } {
  const m = DECIMAL.exec(amount.trim());
  if (!m) throw new Error(`not a decimal amount: ${amount}`);
  const frac = m[3] ?? '';
  const units = BigInt(m[2] + frac);
  return { units: m[1] === '-' ? -units : units, scale: frac.length };
}

const pow10 = (n: number): bigint => 10n ** BigInt(n);

/** numerator / denominator (denominator > 0) rounded half away from zero to `decimals`. */
function divide(numerator: bigint, denominator: bigint, decimals: number): string {
  const negative = numerator < 0n;
  const scaled = (negative ? -numerator : numerator) * pow10(decimals);
  let quotient = scaled / denominator;
  if ((scaled % denominator) * 2n >= denominator) quotient += 1n;
  const digits = quotient.toString().padStart(decimals + 1, '0');
  const text = `${negative ? '-' : ''}${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  return normalizeDecimal(text);
}

/** Units of `currency` per one unit of the base, or null when there is no rate for it. */
export function rateOf(rates: ExchangeRates, currency: string): string | null {
  if (currency === rates.base) return '1';
  return Object.hasOwn(rates.rates, currency) ? rates.rates[currency] : null;
}

export function isSupportedCurrency(rates: ExchangeRates, currency: string): boolean {
  return rateOf(rates, currency) !== null;
}

/**
 * `amount` in `from` expressed in `to`, exactly: amount / rate(from) × rate(to), rounded half
 * away from zero to CONVERTED_DECIMALS and normalised (`10.869565`, `12.5`). Null when either
 * currency has no rate. The same currency gives the amount back, only normalised.
 */
export function convertAmount(amount: string, from: string, to: string, rates: ExchangeRates): string | null {
  if (from === to) return normalizeDecimal(amount);
  const rateFrom = rateOf(rates, from);
  const rateTo = rateOf(rates, to);
  if (rateFrom === null || rateTo === null) return null;
  const a = parse(amount);
  const f = parse(rateFrom);
  const t = parse(rateTo);
  if (f.units <= 0n) return null;
  // (a / 10^as) × (t / 10^ts) / (f / 10^fs) = a·t·10^fs / (f·10^(as+ts))
  return divide(a.units * t.units * pow10(f.scale), f.units * pow10(a.scale + t.scale), CONVERTED_DECIMALS);
}
