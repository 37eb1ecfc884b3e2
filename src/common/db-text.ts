/**
 * Text from callers goes into PostgreSQL, which refuses NUL characters in `text` and unpaired
 * surrogate escapes in `jsonb`. Both are replaced by U+FFFD, so no call fails on them.
 */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function cleanText(value: string): string {
  return value.replace(UNSTORABLE, '\uFFFD');
}

export function cleanNullable(value: string | null): string | null {
  return value === null ? null : cleanText(value);
}

/** What JSON.stringify writes for a NUL or an unpaired surrogate (and, harmlessly, for a few escaped backslashes). */
const UNSTORABLE_ESCAPE = /\\u(?:0000|d[89a-f])/i;

/** A value for a `$n::jsonb` parameter, its keys and strings made storable. */
export function jsonParam(value: unknown): string {
  const text = JSON.stringify(value);
  // The common case costs one scan; the replacer below is many times slower.
  if (!UNSTORABLE_ESCAPE.test(text)) return text;
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'string') return cleanText(v);
    return v && typeof v === 'object' && !Array.isArray(v) ? cleanKeys(v) : v;
  });
}

function cleanKeys(obj: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[cleanText(k)] = v;
  return out;
}
