/**
 * Subscription templates (SPEC §7): a fixed `${attribute}` replacer, no expression language.
 * Rendering is one pass, so a value that itself contains `${...}` stays literal text.
 */
export const TEMPLATE_ATTRIBUTES = [
  'messageId',
  'sequenceNumber',
  'conversionId',
  'clickId',
  'externalId',
  'transactionId',
  'campaignId',
  'offerId',
  'affiliateNetworkId',
  'trafficSourceId',
  'payout',
  'currency',
  'status',
  'conversionType',
  'timeOfEvent',
  'timeOfVisit',
  'country',
] as const;

/** Traffic-source postback macros (SPEC §7, first bullet). */
export const TRAFFIC_SOURCE_MACROS = ['external_id', 'click_id', 'conversion_id', 'payout', 'currency', 'status', 'conversion_type', 'txid'] as const;

export type TemplateValue = string | number | null | undefined;
export type TemplateValues = Readonly<Record<string, TemplateValue>>;

const ATTRIBUTE = /\$\{([^{}]*)\}/g;
const MACRO = /\{([a-z_]+)\}/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The distinct attribute names a template uses, in order of first use. */
export function findTemplateAttributes(template: string): string[] {
  return [...new Set(Array.from(template.matchAll(ATTRIBUTE), (m) => m[1]))];
}

/** The attribute names in a template that are neither standard nor in `allowedExtra`. */
export function validateTemplate(template: string, allowedExtra: string[]): string[] {
  const known = new Set<string>([...TEMPLATE_ATTRIBUTES, ...allowedExtra]);
  return findTemplateAttributes(template).filter((name) => !known.has(name));
}

/** Own properties only: `${constructor}` must not reach Object.prototype. */
function valueOf(values: TemplateValues, name: string): string {
  const value = Object.hasOwn(values, name) ? values[name] : undefined;
  // A lone surrogate would make encodeURIComponent throw and XML ill-formed.
  return value === null || value === undefined ? '' : String(value).replace(LONE_SURROGATE, '\uFFFD');
}

function render(template: string, values: TemplateValues, escape: (v: string) => string): string {
  return template.replace(ATTRIBUTE, (_, name: string) => escape(valueOf(values, name)));
}

/** Percent-encoded: a value can add no parameter, path segment, fragment, header or line. */
export function renderUrl(template: string, values: TemplateValues): string {
  return render(template, values, encodeURIComponent);
}

const JSON_EXTRA: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/** The inside of a JSON string; the template supplies the quotes. */
export function renderJson(template: string, values: TemplateValues): string {
  return render(template, values, (v) =>
    JSON.stringify(v)
      .slice(1, -1)
      .replace(/[<>&\u2028\u2029]/g, (c) => JSON_EXTRA[c]),
  );
}

const XML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

/** XML-escaped for text or attribute values; characters XML 1.0 forbids become U+FFFD. */
export function renderXml(template: string, values: TemplateValues): string {
  return render(template, values, (v) => v.replace(/[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g, '\uFFFD').replace(/[&<>"'\t\n\r]/g, (c) => XML_ENTITIES[c]));
}

/** `key=value, key=value`: the separators, `%` and control characters are percent-encoded. */
export function renderCustom(template: string, values: TemplateValues): string {
  return render(template, values, (v) => v.replace(/[%,=&;\x00-\x1F\x7F]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')));
}

/** A traffic source's `postbackUrl` with `{macro}`s; an unknown `{x}` is left as written. */
export function renderTrafficSourceUrl(template: string, values: TemplateValues): string {
  const known = new Set<string>(TRAFFIC_SOURCE_MACROS);
  return template.replace(MACRO, (whole, name: string) => (known.has(name) ? encodeURIComponent(valueOf(values, name)) : whole));
}

/**
 * Why a URL template cannot be saved, or null: scheme, host and port must be literal text
 * (no `${...}` or `{...}` before the path), only http(s), no user info.
 */
export function assertLiteralHost(urlTemplate: string): string | null {
  const head = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)/.exec(urlTemplate.trimStart());
  if (head === null) return 'the URL must start with http:// or https://';
  const [, scheme, authority] = head;
  if (!/^https?$/i.test(scheme)) return 'only http and https URLs are allowed';
  if (/[{}$]/.test(authority)) return 'the scheme, host and port of the URL must be literal';
  let parsed: URL;
  try {
    parsed = new URL(urlTemplate.replace(ATTRIBUTE, 'x'));
  } catch {
    return 'not a valid absolute URL';
  }
  if (parsed.username !== '' || parsed.password !== '') return 'user info is not allowed in the URL';
  if (parsed.hostname === '') return 'the URL has no host';
  return null;
}
