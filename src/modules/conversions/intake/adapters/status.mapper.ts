import type { ConversionStatus } from './adapter.types';

/** SPEC §6 word table, keys lower-cased. */
export const STATUS_WORDS: Readonly<Record<string, ConversionStatus>> = table({
  approved: ['approved', 'approve', 'confirmed', 'sale', 'paid', 'a', 'CONVERSION_STATUS_APPROVED'],
  pending: ['pending', 'hold', 'on_hold', 'p', 'new', 'CONVERSION_STATUS_PENDING', 'CONVERSION_STATUS_ON_HOLD'],
  declined: [
    'declined',
    'decline',
    'rejected',
    'reject',
    'reversed',
    'reversal',
    'chargeback',
    'refund',
    'refunded',
    'cancelled',
    'canceled',
    'deleted',
    'invalid',
    'fraud',
    'd',
    'CONVERSION_STATUS_DECLINED',
    'CONVERSION_STATUS_REJECTED',
    'CONVERSION_STATUS_REFUNDED',
    'CONVERSION_STATUS_FRAUD',
  ],
});

const TEST_WORDS = new Set(['test', 'conversion_status_test']);
const STATUSES = new Set<string>(['pending', 'approved', 'declined']);

export type StatusReading = { kind: 'status'; status: ConversionStatus } | { kind: 'test' } | { kind: 'unknown' };

/**
 * The network's `statusMap` first (it adds words and overrides the table, numeric codes live
 * there), then `words`: the SPEC table unless an adapter has its own codes. Case and
 * surrounding space are ignored.
 */
export function mapStatus(
  value: string,
  statusMap: Record<string, string> | null | undefined,
  words: Readonly<Record<string, ConversionStatus>> = STATUS_WORDS,
): StatusReading {
  const key = value.trim().toLowerCase();
  const mapped = lookupStatusMap(key, statusMap);
  if (mapped) return { kind: 'status', status: mapped };
  if (TEST_WORDS.has(key)) return { kind: 'test' };
  const status = Object.hasOwn(words, key) ? words[key] : undefined;
  return status ? { kind: 'status', status } : { kind: 'unknown' };
}

function lookupStatusMap(key: string, statusMap: Record<string, string> | null | undefined): ConversionStatus | null {
  if (!statusMap) return null;
  for (const [word, status] of Object.entries(statusMap)) {
    const target = String(status).trim().toLowerCase();
    // A stored map is data: a value outside the three statuses is ignored, not trusted.
    if (word.trim().toLowerCase() === key && STATUSES.has(target)) return target as ConversionStatus;
  }
  return null;
}

function table(groups: Record<ConversionStatus, string[]>): Record<string, ConversionStatus> {
  const out: Record<string, ConversionStatus> = Object.create(null);
  for (const [status, list] of Object.entries(groups) as [ConversionStatus, string[]][]) {
    for (const word of list) out[word.toLowerCase()] = status;
  }
  return out;
}
