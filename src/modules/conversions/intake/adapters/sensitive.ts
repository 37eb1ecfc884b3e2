import { createHash } from 'node:crypto';

const SHA256_HEX = /^[0-9a-fA-F]{64}$/;
/**
 * An e-mail address anywhere in a text, raw or with its `@` percent-encoded. Parts are bounded
 * (RFC 5321 lengths) so a long hostile body cannot make the scan quadratic.
 */
export const EMAIL_IN_TEXT = /[A-Za-z0-9._%+-]{1,64}(?:@|%40)[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}/g;

/** SPEC §6: an `eml` is stored as the SHA-256 hex of its trimmed, lower-cased value, never raw. */
export function hashEmail(value: string): string {
  const v = value.trim();
  if (SHA256_HEX.test(v)) return v.toLowerCase();
  return createHash('sha256').update(v.toLowerCase()).digest('hex');
}

/** Quotes a value for a note, shortened, with any e-mail address masked (notes are logged). */
export function show(value: string): string {
  const short = value.length > 80 ? `${value.slice(0, 80)}…` : value;
  return `'${short.replace(EMAIL_IN_TEXT, '[e-mail]')}'`;
}

const SECRET_NAMES = new Set(['token', 'api_key', 'apikey', 'secret', 'password', 'signature']);
const EMAIL_NAMES = new Set(['eml', 'email']);

/**
 * The last segment of a name: `member[password]` and `member.password` are `password`, and
 * `amp;token` (an HTML-escaped `&` copied into a URL) is `token`.
 */
function leaf(name: string): string {
  const parts = name
    .trim()
    .toLowerCase()
    .replace(/^amp;/, '')
    .split(/[.[\]]+/)
    .filter(Boolean);
  return parts[parts.length - 1] ?? '';
}

/** Values never logged nor kept (`token`, `api_key`, `password`, also nested: `member[password]`). */
export function isSecretName(name: string): boolean {
  return SECRET_NAMES.has(leaf(name));
}

/** Values that are e-mail addresses by name (`eml`, `email`, `customer.email`). */
export function isEmailName(name: string): boolean {
  return EMAIL_NAMES.has(leaf(name));
}

/** Every e-mail address inside a text replaced by its hash (`%40` counts as `@`). */
export function hashEmailsIn(text: string): string {
  return text.replace(EMAIL_IN_TEXT, (address) => hashEmail(address.replace(/%40/g, '@')));
}
