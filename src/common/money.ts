/**
 * Exact decimal amounts. Amounts travel as decimal strings (what PostgreSQL `numeric` returns)
 * and are only turned into JSON numbers at the edge (SPEC §1).
 */
export const AMOUNT_PATTERN = /^-?\d+(\.\d+)?$/;

export function isDecimal(value: string): boolean {
  return AMOUNT_PATTERN.test(value);
}

/** `129.99` -> 129.99 for JSON; null stays null. */
export function toJsonNumber(amount: string | null | undefined): number | null {
  if (amount === null || amount === undefined) return null;
  return Number(amount);
}

/** Amount × 100 rounded half away from zero, as a safe integer (SPEC §1: `92.4` -> 9240). */
export function toCents(amount: string | null | undefined): number {
  if (amount === null || amount === undefined || amount === '') return 0;
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(amount.trim());
  if (!m) throw new Error(`not a decimal amount: ${amount}`);
  const [, sign, whole, frac = ''] = m;
  const padded = (frac + '000').slice(0, 3);
  let cents = BigInt(whole) * 100n + BigInt(padded.slice(0, 2));
  if (Number(padded[2]) >= 5) cents += 1n;
  const n = Number(cents);
  return sign === '-' && n !== 0 ? -n : n;
}

/** Normalises a decimal string: no leading zeros, no trailing fraction zeros (`092.40` -> `92.4`). */
export function normalizeDecimal(amount: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(amount.trim());
  if (!m) throw new Error(`not a decimal amount: ${amount}`);
  const whole = m[2].replace(/^0+(?=\d)/, '');
  const frac = (m[3] ?? '').replace(/0+$/, '');
  const body = frac ? `${whole}.${frac}` : whole;
  return m[1] && body !== '0' ? `-${body}` : body;
}

/** Whether a decimal string is below zero. */
export function isNegative(amount: string): boolean {
  return amount.trim().startsWith('-') && /[1-9]/.test(amount);
}

/**
 * A decimal string rounded half away from zero to `digits` places, exactly (no float on the way):
 * `roundDecimal('615.96271326', 4)` -> `'615.9627'`, `roundDecimal('-0.00005', 4)` -> `'-0.0001'`.
 */
export function roundDecimal(amount: string, digits: number): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(amount.trim());
  if (!m) throw new Error(`not a decimal amount: ${amount}`);
  const [, sign, whole, frac = ''] = m;
  if (frac.length <= digits) return normalizeDecimal(amount.trim());
  let units = BigInt(whole + frac.slice(0, digits));
  if (Number(frac[digits]) >= 5) units += 1n;
  const text = units.toString().padStart(digits + 1, '0');
  const out = digits ? `${text.slice(0, -digits)}.${text.slice(-digits)}` : text;
  const normal = normalizeDecimal(out);
  return sign && /[1-9]/.test(normal) ? `-${normal}` : normal;
}

/** The minor units of an ISO 4217 currency (USD 2, JPY 0, BHD 3); 2 for a code Intl does not know. */
export function minorUnits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}
