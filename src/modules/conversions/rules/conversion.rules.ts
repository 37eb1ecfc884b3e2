import { isNegative, normalizeDecimal } from '../../../common/money';
import type { ConversionStatus, NormalizedCall } from '../intake/adapters/adapter.types';
import type { OfferPayout } from './click-context.repository';

/** SPEC §6 rules as pure decisions; the service applies them to rows it holds locked. */

export type CallTerms = Pick<NormalizedCall, 'amount' | 'saleAmount' | 'currency' | 'status' | 'sequenceNumber'>;

export interface Payout {
  payout: string;
  currency: string;
}

/** Without an offer (unattributed) the call's own figures count, in USD when it names no currency. */
const NO_OFFER_CURRENCY = 'USD';

/**
 * `fixed`: the offer's amount whatever the call reports; `dynamic`: the call's amount, else the
 * offer's. The currency goes with the amount it describes: the call's only for the call's amount.
 */
export function payoutFor(offer: OfferPayout | null, amount: string | null, currency: string | null): Payout {
  if (offer?.type === 'fixed') return { payout: offer.amount, currency: offer.currency };
  if (amount !== null) return { payout: amount, currency: currency ?? offer?.currency ?? NO_OFFER_CURRENCY };
  if (offer) return { payout: offer.amount, currency: offer.currency };
  return { payout: '0', currency: currency ?? NO_OFFER_CURRENCY };
}

export interface NewConversionTerms extends Payout {
  status: ConversionStatus;
  reportedAmount: string | null;
  saleAmount: string | null;
  lastSequence: number | null;
}

export type NewConversionDecision = { ok: true; terms: NewConversionTerms } | { ok: false; reason: string };

export function termsForNew(call: CallTerms, defaultStatus: ConversionStatus, offer: OfferPayout | null): NewConversionDecision {
  if (call.amount !== null && isNegative(call.amount)) {
    return { ok: false, reason: `a negative amount (${call.amount}) for a transaction this tracker has not recorded` };
  }
  return {
    ok: true,
    terms: {
      ...payoutFor(offer, call.amount, call.currency),
      status: call.status ?? defaultStatus,
      reportedAmount: call.amount,
      saleAmount: call.saleAmount,
      lastSequence: call.sequenceNumber,
    },
  };
}

/** A `conversions` row as the repeat rules need it (numeric and bigint columns arrive as text). */
export interface ExistingConversion {
  id: string;
  status: ConversionStatus;
  payout: string;
  currency: string;
  reported_amount: string | null;
  sale_amount: string | null;
  last_sequence: string | null;
  click_id: string | null;
  visit_id: string | null;
}

export interface ConversionPatch {
  status?: ConversionStatus;
  payout?: string;
  currency?: string;
  reportedAmount?: string;
  saleAmount?: string;
  lastSequence?: number;
}

export interface RepeatDecision {
  outcome: 'updated' | 'duplicate';
  patch: ConversionPatch;
  statusChanged: boolean;
  payoutChanged: boolean;
  /** What changed, for the history row (null when nothing did). */
  summary: string | null;
  notes: string[];
}

export const sameAmount = (a: string | null, b: string | null): boolean => a !== null && b !== null && normalizeDecimal(a) === normalizeDecimal(b);

/** A call for a conversion that exists: what it changes, if anything. */
export function decideRepeat(existing: ExistingConversion, call: CallTerms, offer: OfferPayout | null): RepeatDecision {
  const notes: string[] = [];
  const last = existing.last_sequence === null ? null : Number(existing.last_sequence);
  if (call.sequenceNumber !== null && last !== null && call.sequenceNumber <= last) {
    notes.push(`sequenceNumber ${call.sequenceNumber} is not greater than the last applied ${last}: nothing changed`);
    return { outcome: 'duplicate', patch: {}, statusChanged: false, payoutChanged: false, summary: null, notes };
  }
  const patch: ConversionPatch = {};
  const changes: string[] = [];
  if (call.amount !== null && isNegative(call.amount)) {
    if (existing.status !== 'declined') {
      patch.status = 'declined';
      changes.push(`reversal (amount ${call.amount}): status ${existing.status} -> declined, payout kept`);
    } else {
      notes.push(`a reversal (amount ${call.amount}) of a conversion already declined: nothing changed`);
    }
  } else {
    if (call.status !== null && call.status !== existing.status) {
      if (call.status === 'pending') notes.push(`a ${existing.status} conversion never goes back to pending: status kept`);
      else {
        patch.status = call.status;
        changes.push(`status ${existing.status} -> ${call.status}`);
      }
    }
    if (call.amount !== null) {
      // An amount without a currency is in the conversion's own currency: the offer's currency
      // is the default for a new conversion only, never a relabelling of a stored amount.
      const next = payoutFor(
        offer ?? { type: 'dynamic', amount: existing.payout, currency: existing.currency },
        call.amount,
        call.currency ?? existing.currency,
      );
      if (!sameAmount(next.payout, existing.payout) || next.currency !== existing.currency) {
        patch.payout = next.payout;
        patch.currency = next.currency;
        changes.push(`payout ${existing.payout} ${existing.currency} -> ${next.payout} ${next.currency}`);
      }
      if (!sameAmount(call.amount, existing.reported_amount)) {
        patch.reportedAmount = call.amount;
        if (patch.payout === undefined) changes.push(`reported amount ${existing.reported_amount ?? 'none'} -> ${call.amount}, payout kept (fixed)`);
      }
    }
    if (call.saleAmount !== null && !sameAmount(call.saleAmount, existing.sale_amount)) {
      patch.saleAmount = call.saleAmount;
      changes.push(`sale amount ${existing.sale_amount ?? 'none'} -> ${call.saleAmount}`);
    }
  }
  if (call.sequenceNumber !== null) patch.lastSequence = call.sequenceNumber;
  const changed = changes.length > 0;
  if (!changed) notes.push('nothing new: the conversion is unchanged');
  return {
    outcome: changed ? 'updated' : 'duplicate',
    patch,
    statusChanged: patch.status !== undefined,
    payoutChanged: patch.payout !== undefined,
    summary: changed ? changes.join('; ') : null,
    notes,
  };
}

/** A change by hand (PATCH /conversions/:id, SPEC §3): what the buyer asks for. */
export interface ManualChange {
  status?: ConversionStatus;
  payout?: string;
  currency?: string;
}

export type ManualDecision = { ok: true; patch: ConversionPatch; summary: string | null } | { ok: false; code: string; reason: string };

/**
 * The transitions of a postback (SPEC §6: never back to pending), with one difference: the
 * amount given by hand is the payout, whatever the offer's terms (it is a correction, not a
 * report). A currency goes with a payout only: alone it would relabel the amount (issue 13).
 */
export function decideManual(existing: Pick<ExistingConversion, 'status' | 'payout' | 'currency'>, change: ManualChange): ManualDecision {
  const patch: ConversionPatch = {};
  const changes: string[] = [];
  if (change.currency !== undefined && change.payout === undefined) {
    return { ok: false, code: 'CURRENCY_WITHOUT_PAYOUT', reason: 'currency changes only with payout: an amount is never relabelled into another currency' };
  }
  if (change.status !== undefined && change.status !== existing.status) {
    if (change.status === 'pending') {
      return { ok: false, code: 'INVALID_TRANSITION', reason: `the conversion is ${existing.status}; a conversion never goes back to pending` };
    }
    patch.status = change.status;
    changes.push(`status ${existing.status} -> ${change.status}`);
  }
  if (change.payout !== undefined) {
    if (isNegative(change.payout))
      return { ok: false, code: 'NEGATIVE_AMOUNT', reason: 'a payout set by hand cannot be negative; decline the conversion instead' };
    const currency = change.currency ?? existing.currency;
    if (!sameAmount(change.payout, existing.payout) || currency !== existing.currency) {
      patch.payout = normalizeDecimal(change.payout);
      patch.currency = currency;
      changes.push(`payout ${existing.payout} ${existing.currency} -> ${patch.payout} ${currency}`);
    }
  }
  return { ok: true, patch, summary: changes.length ? changes.join('; ') : null };
}
