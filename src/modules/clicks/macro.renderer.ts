/**
 * Destination URLs with `{macro}`s (SPEC §5), compiled once when the route cache loads and
 * rendered on every click. Each value is percent-encoded with encodeURIComponent, which is safe
 * in a path segment, a query value and a fragment alike: a value can add neither a parameter nor
 * a path segment. The scheme, host and port are always the configured ones: management refuses
 * macros there, and the compiled origin is taken as a literal whatever it holds.
 */
export interface UrlTemplate {
  /** Literal text and macro names, alternating: [literal, name, literal, name, ..., literal]. */
  readonly parts: readonly string[];
}

/** The value of a macro, or undefined for an unknown macro (left as written). */
export type MacroLookup = (name: string) => string | undefined;

/** A lookup in a plain record: only its own properties are macros. */
export function lookupIn(values: Record<string, string>): MacroLookup {
  return (name) => (Object.hasOwn(values, name) ? values[name] : undefined);
}

const MACRO = /\{([A-Za-z0-9_]{1,64})\}/g;
const ORIGIN = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*)/;
// Anything a header value or a URL may not carry raw: controls, space, non-ASCII.
const UNSAFE_LITERAL = /[^\x21-\x7e]/gu;

function literal(text: string): string {
  return text.replace(UNSAFE_LITERAL, (c) => encodeURIComponent(c));
}

/** The origin in canonical form (an IDN host in punycode), or the text as is when it is no URL. */
function canonicalOrigin(origin: string): string {
  try {
    const u = new URL(origin + '/');
    return `${u.protocol}//${u.host}`;
  } catch {
    return literal(origin);
  }
}

export function compileTemplate(url: string): UrlTemplate {
  const m = ORIGIN.exec(url);
  const origin = m ? canonicalOrigin(m[1]) : '';
  const rest = m ? url.slice(m[1].length) : url;
  const parts: string[] = [];
  let last = 0;
  let text = origin;
  for (const match of rest.matchAll(MACRO)) {
    text += literal(rest.slice(last, match.index));
    parts.push(text, match[1]);
    text = '';
    last = match.index + match[0].length;
  }
  parts.push(text + literal(rest.slice(last)));
  return { parts };
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function encodeValue(v: string): string {
  try {
    return encodeURIComponent(v);
  } catch {
    // encodeURIComponent throws on a lone surrogate; the visitor's text is kept, minus that half.
    return encodeURIComponent(v.replace(LONE_SURROGATE, '\ufffd'));
  }
}

export function renderTemplate(t: UrlTemplate, lookup: MacroLookup): string {
  const p = t.parts;
  let out = p[0];
  for (let i = 1; i < p.length; i += 2) {
    const name = p[i];
    const v = lookup(name);
    out += (v === undefined ? `{${name}}` : encodeValue(v)) + p[i + 1];
  }
  return out;
}
