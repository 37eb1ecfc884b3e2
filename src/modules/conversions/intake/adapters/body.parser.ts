import type { RawCall } from './adapter.types';
import { addField, fieldsFromQuery, mergeFields, type Fields, type FieldsReading } from './fields';
import { parseJsonBody } from './json-body.parser';
import { parseXmlBody } from './xml-body.parser';

/** A second `key=` after a comma or a line break: the Tradedoubler custom format's separator. */
const CUSTOM_SEPARATOR = /[,\r\n]\s*[A-Za-z_][\w.-]*\s*=/;

/**
 * A conversion call's body, told apart by the body itself whatever its content type says (SPEC
 * §6; senders mislabel): `{` or `[` JSON, `<` XML, else `key=value` pairs. Pairs separated by `&`
 * are form-encoded (percent-decoded once); pairs separated by commas or line breaks are the
 * Tradedoubler custom format (`key=value, key=value`, taken literally), even when sent as a form.
 * A single pair is form-decoded when the content type says form. An empty body has no fields.
 */
export function parseBody(body: string | null, contentType: string | null): FieldsReading {
  const text = (body ?? '').replace(/^\uFEFF/, '').trim();
  if (text === '') return { ok: true, fields: new Map() };
  const type = (contentType ?? '').toLowerCase();
  if (text.startsWith('{') || text.startsWith('[')) return parseJsonBody(text);
  if (text.startsWith('<')) return parseXmlBody(text);
  if (type.includes('multipart/')) return { ok: false, reason: 'multipart bodies are not accepted' };
  if (text.includes('&')) return parseForm(text);
  if (CUSTOM_SEPARATOR.test(text)) return parseCustom(text);
  if (type.includes('x-www-form-urlencoded')) return parseForm(text);
  if (type.includes('json') && !text.includes('=')) return parseJsonBody(text);
  return parseCustom(text);
}

/** Query and body fields of a call, merged: the body wins for a name given in both. */
export function readCallFields(call: RawCall): FieldsReading {
  const body = parseBody(call.body, call.contentType);
  if (!body.ok) return body;
  return { ok: true, fields: mergeFields(fieldsFromQuery(call.query), body.fields) };
}

function parseForm(text: string): FieldsReading {
  const fields: Fields = new Map();
  // URLSearchParams decodes exactly once and leaves a malformed `%` as it is.
  for (const [name, value] of new URLSearchParams(text)) if (name !== '') addField(fields, name, value);
  return fields.size ? { ok: true, fields } : { ok: false, reason: 'the body has no key=value pairs' };
}

function parseCustom(text: string): FieldsReading {
  const fields: Fields = new Map();
  let last: string[] | null = null;
  for (const part of text.split(/[,\r\n]/)) {
    const eq = part.indexOf('=');
    if (eq > 0) {
      const name = part.slice(0, eq).trim();
      addField(fields, name, part.slice(eq + 1).trim());
      last = fields.get(name) ?? null;
    } else if (last && part.trim() !== '') {
      // `orderValue=12,50`: the comma was part of the value; rejoin it so it is refused as an
      // amount instead of being read as `12`.
      last[last.length - 1] += `,${part.trim()}`;
    } else if (part.trim() !== '') {
      return { ok: false, reason: 'the body is neither JSON, XML nor key=value pairs' };
    }
  }
  return fields.size ? { ok: true, fields } : { ok: false, reason: 'the body has no key=value pairs' };
}
