import { flattenInto, type Fields, type FieldsReading } from './fields';

/** A string literal (kept as is) or a JSON number (to be quoted). */
const TOKEN = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

/**
 * One JSON object. Numbers are read from their source text, never through a float: an order id
 * above 2^53 keeps its digits, `12.50` stays `12.50`, and `1.5e2` stays an exponent form that
 * the amount parser refuses.
 */
export function parseJsonBody(text: string): FieldsReading {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(TOKEN, (token) => (token.startsWith('"') ? token : `"${token}"`)));
  } catch {
    // The parser's message may quote the body, and the reason is logged: keep it generic.
    return { ok: false, reason: 'the body is not valid JSON' };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, reason: 'the JSON body is not an object' };
  }
  const fields: Fields = new Map();
  flattenInto(fields, value, '', 0, true);
  return { ok: true, fields };
}
