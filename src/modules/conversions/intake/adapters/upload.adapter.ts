import type { AdapterOutcome, ConversionAdapter, NetworkSettings, RawCall } from './adapter.types';
import { readCallFields } from './body.parser';
import { CallDraft, type FieldNames } from './call.draft';
import { parseEventTime } from './event-time';
import { FieldReader } from './field.reader';
import { show } from './sensitive';

/** SPEC §3 upload columns (CSV header, or the keys of each JSON row). */
export const UPLOAD_COLUMNS = ['clickId', 'transactionId', 'payout', 'currency', 'status', 'type', 'time'] as const;

const NAMES: FieldNames = {
  clickId: ['clickId'],
  payout: ['payout'],
  transactionId: ['transactionId'],
  status: ['status'],
  currency: ['currency'],
  type: ['type'],
  sequenceNumber: [],
};

/**
 * One row of `POST /api/v1/conversions/upload`, logged as a JSON body of the upload columns: the
 * fixed column names (a network's own parameter names do not apply), `time` as the conversion's
 * time (ISO 8601 or Unix seconds; the service keeps it only if sane). A column this contract does
 * not name refuses the row: nothing a user uploads is dropped unseen.
 */
export class UploadAdapter implements ConversionAdapter {
  readonly name = 'upload';

  parse(call: RawCall, network: NetworkSettings | null): AdapterOutcome {
    const fields = readCallFields(call);
    if (!fields.ok) return { ok: false, code: 'UNPARSABLE_BODY', reason: fields.reason };
    const unknown = [...new Set([...fields.fields.keys()].map((k) => k.split('.')[0]))].filter((k) => !(UPLOAD_COLUMNS as readonly string[]).includes(k));
    if (unknown.length) {
      return { ok: false, code: 'UNKNOWN_FIELD', reason: `unknown column ${unknown.map(show).join(', ')}; the columns are ${UPLOAD_COLUMNS.join(', ')}` };
    }
    const draft = new CallDraft(new FieldReader(fields.fields), network).readStandard(NAMES);
    const time = draft.reader.first(['time']);
    if (time) {
      const at = parseEventTime(time.value, true);
      if (at) draft.call.occurredAt = at;
      else draft.notes.push(`time ${show(time.value)} is not ISO 8601 or Unix seconds; the time of the upload counts`);
    }
    return draft.outcome();
  }
}
