import type { ConversionStatus } from '../../../../common/conversion-change';
import type { NetworkParamField as ParamField } from '../../../affiliate-networks/affiliate-network.entity';
import type { NetworkKind } from '../receivers';

/** A conversion call as the HTTP layer received it, before any interpretation. */
export interface RawCall {
  method: string;
  /** Path and query exactly as received (`/postback?aff_sub=..&payout=1`). */
  url: string;
  /** Already percent-decoded once by the HTTP layer: adapters never decode it again. */
  query: Record<string, string | string[]>;
  /** Raw body text as received, null when none. */
  body: string | null;
  contentType: string | null;
  cookies: Record<string, string>;
}

export type { ConversionStatus, NetworkKind, ParamField };

export interface NetworkSettings {
  kind: NetworkKind;
  /** A name given here replaces the adapter's default names for that field (SPEC §6). */
  params: Partial<Record<ParamField, string>>;
  /** Consulted before the SPEC word table; keys compare case- and space-insensitively. */
  statusMap: Record<string, ConversionStatus>;
}

export interface NormalizedCall {
  clickId: string | null;
  transactionId: string | null;
  /** Normalized decimal string (`^-?\d+(\.\d+)?$`); negative values pass: the service decides. */
  amount: string | null;
  /** The sale total when the amount is a commission (Tradedoubler `orderValue`). */
  saleAmount: string | null;
  currency: string | null;
  status: ConversionStatus | null;
  /** The type as the call names it (id, code or alias), resolved later by the service. */
  conversionType: string | null;
  sequenceNumber: number | null;
  /**
   * The transaction id is unique on the network whatever the conversion type (Trackdesk's
   * `externalId`, SPEC §6 Dedupe): one conversion per (network, transaction id).
   */
  transactionAcrossTypes?: boolean;
  /** When the network says the conversion happened (Tradedoubler `timeOfEvent`), if it said so readably. */
  occurredAt?: Date;
  /** What the conversion's history should say of this call besides its changes (Tradedoubler `deniedReasonId`). */
  historyNote?: string;
  /** Value of `token` or `api_key`, for the service's constant-time check. */
  token: string | null;
  extra: Record<string, string>;
  notes: string[];
}

export type RefusalCode =
  | 'INVALID_AMOUNT'
  | 'INVALID_FIELD_TYPE'
  | 'MISSING_AMOUNT'
  | 'MISSING_CURRENCY'
  | 'MISSING_CLICK_ID'
  | 'TEST_CONVERSION'
  | 'UNPARSABLE_BODY'
  | 'UNKNOWN_FIELD';

export type AdapterOutcome = { ok: true; call: NormalizedCall } | { ok: false; code: RefusalCode; reason: string; partial?: Partial<NormalizedCall> };

export interface ConversionAdapter {
  readonly name: string;
  parse(call: RawCall, network: NetworkSettings | null): AdapterOutcome;
}
