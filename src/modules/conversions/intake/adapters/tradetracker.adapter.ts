import type { AdapterOutcome, ConversionAdapter, NetworkSettings, RawCall } from './adapter.types';
import { readCallFields } from './body.parser';
import { CallDraft, namesFor, type FieldNames } from './call.draft';
import { FieldReader } from './field.reader';

/** `cid` is TradeTracker's campaign id, never a click id: the click reference is `data`. */
const TRADETRACKER_NAMES: FieldNames = {
  clickId: ['data'],
  payout: ['tam'],
  transactionId: ['tid'],
  status: ['status'],
  currency: ['currency'],
  type: ['event', 'ttEventName'],
  sequenceNumber: [],
};

const EVENTS: Readonly<Record<string, string>> = { sales: 'cps', sale: 'cps', lead: 'cpl', leads: 'cpl' };

/**
 * TradeTracker S2S (`?cid=&pid=&tid=&tam=&currency=&qty=&descrMerchant=&data=&eml=&event=`).
 * A basket sends one call per product group with the same `tid`, so the transaction id is
 * `tid:pid`: deduping on `tid` alone would drop all but the first product's revenue.
 */
export class TradetrackerAdapter implements ConversionAdapter {
  readonly name = 'tradetracker';

  parse(call: RawCall, network: NetworkSettings | null): AdapterOutcome {
    const fields = readCallFields(call);
    if (!fields.ok) return { ok: false, code: 'UNPARSABLE_BODY', reason: fields.reason };
    const draft = new CallDraft(new FieldReader(fields.fields), network).readStandard(namesFor(TRADETRACKER_NAMES, network));
    const pid = draft.reader.first(['pid'])?.value ?? null;
    if (pid !== null) {
      draft.call.extra.pid = pid;
      if (draft.call.transactionId !== null) draft.call.transactionId = `${draft.call.transactionId}:${pid}`;
    }
    const event = draft.call.conversionType?.toLowerCase() ?? '';
    // Other event names pass through: they may be conversion type codes of this tracker.
    if (Object.hasOwn(EVENTS, event)) draft.call.conversionType = EVENTS[event];
    const outcome = draft.outcome();
    if (!outcome.ok || draft.call.conversionType === 'cpl') return outcome;
    // A sale without its amount or currency is refused, as TradeTracker itself refuses it (a lead
    // has no amount).
    if (outcome.call.amount === null)
      return { ok: false, code: 'MISSING_AMOUNT', reason: 'a TradeTracker sale needs tam (the amount): nothing is recorded', partial: outcome.call };
    if (outcome.call.currency === null)
      return {
        ok: false,
        code: 'MISSING_CURRENCY',
        reason: 'a TradeTracker sale needs currency (a three-letter code): nothing is recorded',
        partial: outcome.call,
      };
    return outcome;
  }
}
