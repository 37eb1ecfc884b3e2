import { createHash } from 'node:crypto';
import { mintId } from '../../../common/ids';
import { cleanText } from '../../../common/db-text';

/**
 * Longer parts are hashed: a btree entry must stay well under PostgreSQL's ~2.7 kB limit. So are
 * parts PostgreSQL cannot store as text (NUL, unpaired surrogates), keeping distinct ids distinct.
 */
const MAX_PART = 200;

function part(value: string): string {
  if (value.length <= MAX_PART && cleanText(value) === value) return value;
  return `#${createHash('sha256').update(value, 'utf16le').digest('hex')}`;
}

export interface DedupeInput {
  networkId: string | null;
  transactionId: string | null;
  clickId: string;
  typeId: string;
  multiplePerClick: boolean;
  /** The transaction id alone names the conversion on its network (Trackdesk `externalId`). */
  transactionAcrossTypes?: boolean;
}

/**
 * SPEC §6: one conversion per (network, transaction id, type); without a transaction id one per
 * (click, type), unless the type allows several per click; a Trackdesk `externalId` is one per
 * (network, externalId) whatever the type (`*`, which no type id can be). Network and type ids
 * hold no `:`, so the transaction or click id between them cannot make two keys collide.
 */
export function dedupeKeyOf(d: DedupeInput): string {
  if (d.transactionId !== null) return `tx:${d.networkId ?? '-'}:${part(d.transactionId)}:${d.transactionAcrossTypes ? '*' : d.typeId}`;
  if (d.multiplePerClick) return `click:${part(d.clickId)}:${d.typeId}:${mintId()}`;
  return `click:${part(d.clickId)}:${d.typeId}`;
}

/**
 * The key the same call had while its click was unknown (no network then): such a conversion
 * is the same one, found and attributed instead of duplicated.
 */
export function unattributedKeyOf(d: DedupeInput): string | null {
  return d.transactionId !== null && d.networkId !== null ? dedupeKeyOf({ ...d, networkId: null }) : null;
}
