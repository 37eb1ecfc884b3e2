import type { AdapterOutcome, ConversionStatus, NetworkSettings, NormalizedCall, ParamField, RefusalCode } from './adapter.types';
import { parseAmount } from './amount.parser';
import type { FieldReader, Picked } from './field.reader';
import { show } from './sensitive';
import { mapStatus, STATUS_WORDS } from './status.mapper';

export type FieldNames = Record<ParamField, readonly string[]>;

/** SPEC §6: a network's `params` replace the default names for the fields they name. */
export function namesFor(defaults: FieldNames, network: NetworkSettings | null): FieldNames {
  const names = { ...defaults };
  const params: Record<string, unknown> = network?.params ?? {};
  for (const field of Object.keys(names) as ParamField[]) {
    const name = Object.hasOwn(params, field) ? params[field] : undefined;
    if (typeof name === 'string' && name.trim() !== '') names[field] = [name.trim()];
  }
  return names;
}

const CURRENCY = /^[A-Za-z]{3}$/;
const TOKEN_NAMES = ['token', 'api_key'];

/**
 * A NormalizedCall being filled from a FieldReader, and the refusals found on the way. Adapters
 * read the fields they share through it and set their own fields on `call` directly.
 */
export class CallDraft {
  readonly call: NormalizedCall;
  private clickIdNames: readonly string[] = [];
  private test: Picked | null = null;
  private amountError: string | null = null;

  constructor(
    readonly reader: FieldReader,
    private readonly network: NetworkSettings | null,
  ) {
    this.call = {
      clickId: null,
      transactionId: null,
      amount: null,
      saleAmount: null,
      currency: null,
      status: null,
      conversionType: null,
      sequenceNumber: null,
      token: null,
      extra: {},
      notes: reader.notes,
    };
  }

  get notes(): string[] {
    return this.call.notes;
  }

  /** Every shared field, read with the given names. */
  readStandard(names: FieldNames): this {
    this.readClickId(names.clickId);
    this.readAmount(names.payout, 'amount');
    this.call.transactionId = this.reader.first(names.transactionId)?.value ?? null;
    this.readCurrency(names.currency);
    this.readStatus(names.status);
    this.call.conversionType = this.reader.first(names.type)?.value ?? null;
    this.readSequenceNumber(names.sequenceNumber);
    this.readToken();
    return this;
  }

  readClickId(names: readonly string[]): void {
    this.clickIdNames = names;
    this.call.clickId = this.reader.first(names)?.value ?? null;
  }

  /** Reads an amount into `target`; an invalid one refuses the call unless `lenient`. Returns the name read. */
  readAmount(names: readonly string[], target: 'amount' | 'saleAmount', lenient = false): string | null {
    const picked = this.reader.first(names);
    if (!picked) return null;
    const reading = parseAmount(picked.value, picked.name);
    if (reading.kind === 'amount') this.call[target] = reading.value;
    else if (reading.kind === 'absent' && reading.note) this.notes.push(reading.note);
    else if (reading.kind === 'invalid' && lenient) this.notes.push(`${reading.reason}, ignored`);
    else if (reading.kind === 'invalid') this.amountError ??= reading.reason;
    return picked.name;
  }

  readCurrency(names: readonly string[]): void {
    const picked = this.reader.first(names);
    if (!picked) return;
    if (CURRENCY.test(picked.value)) this.call.currency = picked.value.toUpperCase();
    else this.notes.push(`${picked.name} ${show(picked.value)} is not a three-letter currency code, treated as absent`);
  }

  /** `words` is the adapter's own code table when it has one (Tradedoubler's messageTypeId). */
  readStatus(
    names: readonly string[],
    words: Readonly<Record<string, ConversionStatus>> = STATUS_WORDS,
    unknown = (p: Picked) => `unknown status word ${show(p.value)} in ${p.name}, treated as absent`,
  ): void {
    const picked = this.reader.first(names);
    if (!picked) return;
    const reading = mapStatus(picked.value, this.network?.statusMap, words);
    if (reading.kind === 'status') this.call.status = reading.status;
    else if (reading.kind === 'test') this.test = picked;
    else this.notes.push(unknown(picked));
  }

  readSequenceNumber(names: readonly string[]): void {
    const picked = this.reader.first(names);
    if (!picked) return;
    const n = /^\d+$/.test(picked.value) ? Number(picked.value) : NaN;
    if (Number.isSafeInteger(n)) this.call.sequenceNumber = n;
    else this.notes.push(`${picked.name} ${show(picked.value)} is not a whole number, ignored`);
  }

  readToken(): void {
    for (const name of TOKEN_NAMES) {
      const value = this.reader.raw(name);
      if (value && this.call.token === null) this.call.token = value;
    }
  }

  /** Refusals in order of weight: a test first, then a field of the wrong JSON type, no click id, a bad amount. */
  outcome(missingClickId?: string): AdapterOutcome {
    this.call.extra = { ...this.reader.unread(), ...this.call.extra };
    if (this.test) {
      return this.refuse('TEST_CONVERSION', `${this.test.name} ${show(this.test.value)} marks a test conversion, nothing is recorded`);
    }
    if (this.reader.wrongTypes.length) {
      const what = this.reader.wrongTypes.map((w) => `${w.name} is a JSON ${w.shape}`).join(', ');
      return this.refuse('INVALID_FIELD_TYPE', `${what} where one value (a string or a number) belongs: nothing is recorded`);
    }
    if (this.call.clickId === null) {
      return this.refuse('MISSING_CLICK_ID', missingClickId ?? `no click id in ${this.clickIdNames.join(', ')}`);
    }
    if (this.amountError) return this.refuse('INVALID_AMOUNT', this.amountError);
    return { ok: true, call: this.call };
  }

  private refuse(code: RefusalCode, reason: string): AdapterOutcome {
    return { ok: false, code, reason, partial: { ...this.call } };
  }
}
