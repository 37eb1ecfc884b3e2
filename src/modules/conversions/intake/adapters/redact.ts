import { hashEmail, hashEmailsIn, isEmailName, isSecretName } from './sensitive';

export interface RedactedRequest {
  url: string;
  body: string | null;
}

const REDACTED = '[redacted]';
const FORM_PAIR = /(^|&)([^=&]*)=([^&]*)/g;
const CUSTOM_PAIR = /(^|[,\r\n])([^=,\r\n]*)=([^,\r\n]*)/g;
const JSON_MEMBER = /("(?:[^"\\]|\\.)*")(\s*:\s*)("(?:[^"\\]|\\.)*"|-?\d[\d.eE+-]*|true|false|null)/g;
// Bounded so that a long hostile body cannot make the scan quadratic.
const XML_ELEMENT = /<(?:[\w.-]{1,64}:)?([A-Za-z_][\w.-]{0,127})(\s[^<>]*)?>(<!\[CDATA\[[\s\S]{0,4096}?\]\]>|[^<]*)<\//g;

/**
 * The call as the inbound log keeps it (SPEC §6): values of `token`, `api_key` and other secrets
 * become `[redacted]`, an `eml` / `email` becomes the SHA-256 of its trimmed lower-cased value,
 * and any other e-mail address in the text is hashed too, so none survives. Everything else is
 * kept byte for byte. Works on bodies that do not parse as well: those are logged too.
 */
export function redactForLog(url: string, body: string | null, contentType: string | null): RedactedRequest {
  return { url: redactUrl(url), body: body === null ? null : redactBody(body, contentType) };
}

export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return hashEmailsIn(url);
  return hashEmailsIn(`${url.slice(0, q)}?${redactPairs(url.slice(q + 1), true)}`);
}

function redactBody(body: string, contentType: string | null): string {
  const text = body.trimStart();
  const type = (contentType ?? '').toLowerCase();
  if (text.startsWith('{') || text.startsWith('[') || type.includes('json')) return hashEmailsIn(redactJson(body));
  if (text.startsWith('<')) return hashEmailsIn(redactXml(body));
  const form = type.includes('x-www-form-urlencoded') || body.includes('&');
  return hashEmailsIn(redactPairs(body, form));
}

/** `name=value` pairs, `&`-separated and percent-encoded (`form`) or Tradedoubler's custom `, `. */
function redactPairs(text: string, form: boolean): string {
  return text.replace(form ? FORM_PAIR : CUSTOM_PAIR, (pair, sep: string, rawName: string, rawValue: string) => {
    const name = form ? formDecode(rawName) : rawName;
    if (isSecretName(name)) return `${sep}${rawName}=${REDACTED}`;
    const value = form ? formDecode(rawValue) : rawValue;
    if (isEmailName(name) && value.trim() !== '') return `${sep}${rawName}=${hashEmail(value)}`;
    return pair;
  });
}

function redactJson(text: string): string {
  return text.replace(JSON_MEMBER, (member, key: string, colon: string, value: string) => {
    const name = unquote(key);
    if (isSecretName(name)) return `${key}${colon}"${REDACTED}"`;
    if (isEmailName(name) && value.startsWith('"')) return `${key}${colon}"${hashEmail(unquote(value))}"`;
    return member;
  });
}

function redactXml(text: string): string {
  return text.replace(XML_ELEMENT, (element, name: string, _attrs: string | undefined, content: string) => {
    const open = element.slice(0, element.length - content.length - 2);
    if (isSecretName(name)) return `${open}${REDACTED}</`;
    const value = content.replace(/^<!\[CDATA\[|\]\]>$/g, '');
    if (isEmailName(name) && value.trim() !== '') return `${open}${hashEmail(value)}</`;
    return element;
  });
}

function formDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

function unquote(literal: string): string {
  try {
    return String(JSON.parse(literal));
  } catch {
    return literal.slice(1, -1);
  }
}

const LOGGED_HEADERS = ['user-agent', 'content-type', 'x-forwarded-for', 'referer'];

/**
 * Headers worth keeping with a logged call. Never `authorization`, `cookie` or `x-api-key`;
 * the referer is a URL and is redacted like one.
 */
export function pickLoggedHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const key = name.toLowerCase();
    if (!LOGGED_HEADERS.includes(key) || value === undefined) continue;
    const text = (Array.isArray(value) ? value.join(', ') : String(value)).slice(0, 1000);
    picked[key] = key === 'referer' ? redactUrl(text) : text;
  }
  return picked;
}
