import { AMOUNT_PATTERN, normalizeDecimal, toCents } from '../../../../common/money';
import { show } from './sensitive';
import { isUnreplacedMacro } from './macro';

export type AmountReading = { kind: 'amount'; value: string } | { kind: 'absent'; note: string | null } | { kind: 'invalid'; reason: string };

/**
 * SPEC §6 amounts: `^-?\d+(\.\d+)?$` in major units, `0` included. Comma decimals, thousands
 * separators, `NaN` and exponent forms are invalid; empty values and unreplaced macros are absent.
 * `name` is the parameter the value came from, for the log.
 */
export function parseAmount(raw: unknown, name = 'amount'): AmountReading {
  if (raw === undefined || raw === null) return { kind: 'absent', note: null };
  if (typeof raw === 'number') return fromNumber(raw, name);
  if (typeof raw !== 'string') return { kind: 'invalid', reason: `${name} is not a decimal amount` };
  const value = raw.trim();
  if (value === '') return { kind: 'absent', note: `${name} is empty, treated as absent` };
  if (isUnreplacedMacro(value)) {
    return { kind: 'absent', note: `${name} ${show(value)} is an unreplaced macro, treated as absent` };
  }
  if (!AMOUNT_PATTERN.test(value)) {
    return { kind: 'invalid', reason: `${name} ${show(value)} is not a decimal amount (digits, '.' before the fraction)` };
  }
  // Every amount has an exact cents value (SPEC §1); beyond 2^53 cents it would not.
  if (!Number.isSafeInteger(toCents(value))) {
    return { kind: 'invalid', reason: `${name} ${show(value)} is too large` };
  }
  return { kind: 'amount', value: normalizeDecimal(value) };
}

function fromNumber(raw: number, name: string): AmountReading {
  const text = String(raw);
  // String(1e21) is `1e+21`: an exponent form, as invalid as the text `1E+21`.
  if (!Number.isFinite(raw) || /e/i.test(text)) {
    return { kind: 'invalid', reason: `${name} ${show(text)} is not a decimal amount` };
  }
  return parseAmount(text, name);
}
