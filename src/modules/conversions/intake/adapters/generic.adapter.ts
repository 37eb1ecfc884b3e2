import type { AdapterOutcome, ConversionAdapter, NetworkSettings, RawCall } from './adapter.types';
import { readCallFields } from './body.parser';
import { CallDraft, namesFor, type FieldNames } from './call.draft';
import { FieldReader } from './field.reader';

/** SPEC §6 default names; the first usable one wins. */
export const GENERIC_NAMES: FieldNames = {
  clickId: ['clickid', 'click_id', 'cid', 'subid', 'aff_sub', 'tracking', 'h'],
  payout: ['payout', 'amount', 'sum', 'a'],
  transactionId: ['txid', 'transaction_id', 'externalId', 'tid'],
  status: ['status'],
  currency: ['currency'],
  type: ['type', 'et'],
  sequenceNumber: [],
};

/** `/postback[/:networkId]`: parameters in the query, a form body or JSON (the body wins). */
export class GenericAdapter implements ConversionAdapter {
  readonly name = 'generic';

  parse(call: RawCall, network: NetworkSettings | null): AdapterOutcome {
    const fields = readCallFields(call);
    if (!fields.ok) return { ok: false, code: 'UNPARSABLE_BODY', reason: fields.reason };
    return new CallDraft(new FieldReader(fields.fields), network).readStandard(namesFor(GENERIC_NAMES, network)).outcome();
  }
}
