const SUSPECT = /[\0\ud800-\udfff]/;
const UNSTORABLE = /\0|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text PostgreSQL will take: no NUL (text and jsonb refuse it) and no lone UTF-16 surrogate
 * (jsonb refuses its escape). One such value would fail the whole batch of visits it rides in.
 */
export function storableText(s: string): string {
  return SUSPECT.test(s) ? s.replace(UNSTORABLE, (c) => (c === '\0' ? '' : '\ufffd')) : s;
}

/** The query as received, made storable: keys and values, repeated parameters kept as arrays. */
export function storableQuery(query: Record<string, unknown>): Record<string, string | string[]> {
  // No prototype: a parameter named __proto__ is kept like any other.
  const out: Record<string, string | string[]> = Object.create(null);
  for (const k of Object.keys(query)) {
    const v = query[k];
    const key = storableText(k);
    if (Array.isArray(v)) out[key] = v.map((x) => storableText(String(x)));
    else if (v !== undefined) out[key] = storableText(String(v));
  }
  return out;
}
