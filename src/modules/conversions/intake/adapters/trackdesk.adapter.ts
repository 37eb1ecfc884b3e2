import type { AdapterOutcome, ConversionAdapter, NetworkSettings, RawCall } from './adapter.types';
import { readCallFields } from './body.parser';
import { CallDraft, namesFor, type FieldNames } from './call.draft';
import { FieldReader } from './field.reader';

/**
 * Trackdesk's names. A GET sends them dotted (`amount.value=`); a POST sends the nested JSON,
 * which the body parser flattens to the same dotted names.
 */
const TRACKDESK_NAMES: FieldNames = {
  clickId: ['cid'],
  payout: ['amount.value'],
  transactionId: ['externalId'],
  status: ['status'],
  currency: ['currency.code'],
  type: ['conversionTypeCode'],
  sequenceNumber: [],
};

const CUSTOM_PARAM = /^customParams\.(advS[1-5])$/;

/** `/tracking/conversion/v1`, statuses `CONVERSION_STATUS_*` (in the SPEC word table). */
export class TrackdeskAdapter implements ConversionAdapter {
  readonly name = 'trackdesk';

  parse(call: RawCall, network: NetworkSettings | null): AdapterOutcome {
    const fields = readCallFields(call);
    if (!fields.ok) return { ok: false, code: 'UNPARSABLE_BODY', reason: fields.reason };
    const reader = new FieldReader(fields.fields);
    const draft = new CallDraft(reader, network).readStandard(namesFor(TRACKDESK_NAMES, network));
    for (const name of fields.fields.keys()) {
      const slot = CUSTOM_PARAM.exec(name)?.[1];
      const value = slot ? reader.first([name]) : null;
      if (slot && value) draft.call.extra[slot] = value.value;
    }
    // `externalId` is unique on the Trackdesk platform: another conversionTypeCode is the same conversion.
    if (draft.call.transactionId !== null) draft.call.transactionAcrossTypes = true;
    return draft.outcome();
  }
}
