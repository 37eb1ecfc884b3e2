import { createHmac } from 'node:crypto';

/** Standard Webhooks signing (SPEC §7): `v1,` + base64 HMAC-SHA256 of `id.timestamp.body`. */
const SECRET_PREFIX = 'whsec_';
const MIN_SECRET_BYTES = 24;

function secretKey(secret: string): Buffer | null {
  if (!secret.startsWith(SECRET_PREFIX)) return null;
  const encoded = secret.slice(SECRET_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return null;
  const key = Buffer.from(encoded, 'base64');
  // Buffer.from ignores stray bits; insist the text is exactly the key's encoding.
  if (key.toString('base64').replace(/=+$/, '') !== encoded.replace(/=+$/, '')) return null;
  return key.length >= MIN_SECRET_BYTES ? key : null;
}

/** `whsec_` followed by the base64 of at least 24 bytes. */
export function isValidSecret(secret: string): boolean {
  return secretKey(secret) !== null;
}

/** The headers to add to a message; throws on an invalid secret (validate at save time). */
export function signWebhook(secret: string, msgId: string, timestampSeconds: number, body: string): Record<string, string> {
  const key = secretKey(secret);
  if (key === null) throw new Error('invalid webhook secret');
  const timestamp = String(Math.floor(timestampSeconds));
  const signature = createHmac('sha256', key).update(`${msgId}.${timestamp}.${body}`, 'utf8').digest('base64');
  return {
    'webhook-id': msgId,
    'webhook-timestamp': timestamp,
    'webhook-signature': `v1,${signature}`,
  };
}
