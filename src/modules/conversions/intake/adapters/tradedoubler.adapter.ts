import type { AdapterOutcome, ConversionAdapter, ConversionStatus, NetworkSettings, RawCall } from './adapter.types';
import { readCallFields } from './body.parser';
import { CallDraft, namesFor, type FieldNames } from './call.draft';
import { FieldReader } from './field.reader';
import { parseEventTime } from './event-time';
import { show } from './sensitive';

const TRADEDOUBLER_NAMES: FieldNames = {
  clickId: ['epi', 'epi2'],
  payout: ['publisherCommission', 'orderValue'],
  transactionId: ['transactionId'],
  status: ['messageTypeId'],
  currency: ['currencyId'],
  type: ['eventTypeId'],
  sequenceNumber: ['sequenceNumber'],
};

/** SPEC §6 messageTypeId: 1 Tracked, 3 Paused, 4 Pending; 5 Tracked_Approved, 6 Pending_Approved; 2 Invalid, 7 Paused_Deleted, 8 Deleted. */
const MESSAGE_TYPES: Readonly<Record<string, ConversionStatus>> = {
  '1': 'pending',
  '3': 'pending',
  '4': 'pending',
  '5': 'approved',
  '6': 'approved',
  '2': 'declined',
  '7': 'declined',
  '8': 'declined',
};

/** eventTypeId 4 and 9 are leads, 5 and 10 sales. */
const EVENT_TYPES: Readonly<Record<string, string>> = { '4': 'cpl', '9': 'cpl', '5': 'cps', '10': 'cps' };

/**
 * Tradedoubler Conversions API receiver: a GET query, or a POST body in JSON, XML or the custom
 * `key=value, key=value` format. The amount is the publisher's commission; the order value is
 * kept as the sale amount, and is the amount only when no commission is sent.
 */
export class TradedoublerAdapter implements ConversionAdapter {
  readonly name = 'tradedoubler';

  parse(call: RawCall, network: NetworkSettings | null): AdapterOutcome {
    const fields = readCallFields(call);
    if (!fields.ok) return { ok: false, code: 'UNPARSABLE_BODY', reason: fields.reason };
    const names = namesFor(TRADEDOUBLER_NAMES, network);
    const draft = new CallDraft(new FieldReader(fields.fields), network);
    draft.readClickId(names.clickId);
    const amountName = draft.readAmount(names.payout, 'amount');
    if (amountName === 'orderValue') draft.call.saleAmount = draft.call.amount;
    else draft.readAmount(['orderValue'], 'saleAmount', true);
    draft.call.transactionId = draft.reader.first(names.transactionId)?.value ?? null;
    draft.readCurrency(names.currency);
    readStatus(draft, names.status);
    draft.readSequenceNumber(names.sequenceNumber);
    const type = draft.reader.first(names.type);
    draft.call.conversionType = type && Object.hasOwn(EVENT_TYPES, type.value) ? EVENT_TYPES[type.value] : null;
    if (type && !draft.call.conversionType) {
      draft.notes.push(`${type.name} ${show(type.value)} is neither a lead (4, 9) nor a sale (5, 10), the default type applies`);
    }
    draft.readToken();
    readDenial(draft);
    readTimeOfEvent(draft);
    return draft.outcome();
  }
}

/** `deniedReasonId` says why Tradedoubler denied the transaction: kept in the payload and the history. */
function readDenial(draft: CallDraft): void {
  const denied = draft.reader.first(['deniedReasonId']);
  if (!denied) return;
  draft.call.extra.deniedReasonId = denied.value;
  draft.call.historyNote = `deniedReasonId ${show(denied.value)}`;
}

/** `timeOfEvent`: kept as sent in the payload; the service decides whether it is the conversion's time. */
function readTimeOfEvent(draft: CallDraft): void {
  const t = draft.reader.first(['timeOfEvent']);
  if (!t) return;
  draft.call.extra.timeOfEvent = t.value;
  const at = parseEventTime(t.value);
  if (at) draft.call.occurredAt = at;
  else draft.notes.push(`timeOfEvent ${show(t.value)} is not a time this tracker reads; the time of the call counts`);
}

/** messageTypeId (the network's statusMap first); without one, an A / P / D `status` word. */
function readStatus(draft: CallDraft, names: readonly string[]): void {
  if (draft.reader.first(names) === null) return draft.readStatus(['status']);
  draft.readStatus(names, MESSAGE_TYPES, (p) => `${p.name} ${show(p.value)} leaves the status unchanged`);
}
