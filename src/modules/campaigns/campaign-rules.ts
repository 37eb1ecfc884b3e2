import { parseCidr } from '../enrichment/ip-range';
import { isZoneName } from '../reports/zoned-time';

/**
 * Campaign rules (SPEC §3, "paths by visitor"): what `when` may hold, and its validation into the
 * stored, normalized form the click path compiles (src/modules/clicks/rule.matcher.ts).
 */
export const DEVICE_TYPES = ['desktop', 'mobile', 'tablet', 'smarttv', 'console', 'wearable'] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];

/** A `when` as stored: every list non-empty, text lists lower-cased (countries upper-cased). */
export interface RuleWhen {
  country?: string[];
  region?: string[];
  city?: string[];
  language?: string[];
  deviceType?: DeviceType[];
  os?: string[];
  browser?: string[];
  ip?: string[];
  bot?: boolean;
  datacenter?: boolean;
  unique?: boolean;
  param?: Record<string, string[]>;
  weekday?: number[];
  hour?: { from: number; to: number };
  tz?: string;
  not?: RuleWhen;
}

export const CRITERIA: readonly (keyof RuleWhen)[] = [
  'country',
  'region',
  'city',
  'language',
  'deviceType',
  'os',
  'browser',
  'ip',
  'bot',
  'datacenter',
  'unique',
  'param',
  'weekday',
  'hour',
  'tz',
  'not',
];
const KNOWN = new Set<string>(CRITERIA);

const MAX_VALUES = 1000;
const MAX_TEXT = 200;
const MAX_PARAMS = 50;
const MAX_NOT_DEPTH = 3;

type Problems = Record<string, string[]>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Validates one `when` (at `path`, e.g. `rules[0].when`) into its stored form; every problem is
 * added to `problems` under the field it concerns. An unknown criterion is named
 * (`rules[0].when.contry`), never dropped.
 */
export function parseWhen(raw: unknown, path: string, problems: Problems, depth = 0): RuleWhen {
  const add = (field: string, problem: string) => (problems[field] ??= []).push(problem);
  const out: RuleWhen = {};
  if (!isObject(raw)) {
    add(path, 'must be an object of criteria');
    return out;
  }
  for (const [name, value] of Object.entries(raw)) {
    const at = `${path}.${name}`;
    if (!KNOWN.has(name)) {
      add(at, `unknown criterion '${name}'; known: ${CRITERIA.join(', ')}`);
      continue;
    }
    if (value === undefined) continue;
    switch (name as keyof RuleWhen) {
      case 'country': {
        const list = texts(value, at, add);
        if (list && list.every((c) => /^[A-Za-z]{2}$/.test(c) || (add(at, `'${c}' is not an ISO 3166-1 alpha-2 code`), false)))
          out.country = unique(list.map((c) => c.toUpperCase()));
        break;
      }
      case 'region':
      case 'city':
      case 'os':
      case 'browser': {
        const list = texts(value, at, add);
        if (list) out[name as 'region'] = unique(list.map((c) => c.toLowerCase()));
        break;
      }
      case 'language': {
        const list = texts(value, at, add);
        if (list && list.every((c) => /^[A-Za-z]{1,8}$/.test(c) || (add(at, `'${c}' is not a primary language subtag such as en`), false)))
          out.language = unique(list.map((c) => c.toLowerCase()));
        break;
      }
      case 'deviceType': {
        const list = texts(value, at, add);
        const types: readonly string[] = DEVICE_TYPES;
        if (list && list.every((c) => types.includes(c.toLowerCase()) || (add(at, `'${c}' is not one of ${DEVICE_TYPES.join(', ')}`), false)))
          out.deviceType = unique(list.map((c) => c.toLowerCase() as DeviceType));
        break;
      }
      case 'ip': {
        const list = texts(value, at, add);
        if (list && list.every((c) => parseCidr(c.trim()) !== null || (add(at, `'${c}' is not an IP address or CIDR range`), false)))
          out.ip = unique(list.map((c) => c.trim()));
        break;
      }
      case 'bot':
      case 'datacenter':
      case 'unique':
        if (typeof value === 'boolean') out[name as 'bot'] = value;
        else add(at, 'must be true or false');
        break;
      case 'param': {
        if (!isObject(value) || Object.keys(value).length === 0) {
          add(at, 'must be an object of parameter names, each with a list of values');
          break;
        }
        if (Object.keys(value).length > MAX_PARAMS) add(at, `at most ${MAX_PARAMS} parameters`);
        const params: Record<string, string[]> = {};
        for (const [p, vs] of Object.entries(value)) {
          if (p.length === 0 || p.length > MAX_TEXT) {
            add(at, `parameter names are 1 to ${MAX_TEXT} characters`);
            continue;
          }
          const list = texts(vs, `${at}.${p}`, add, true);
          if (list) params[p] = unique(list.map((c) => c.toLowerCase()));
        }
        out.param = params;
        break;
      }
      case 'weekday': {
        if (!Array.isArray(value) || value.length === 0 || value.length > 7) {
          add(at, 'must be a list of 1 to 7 days, 1 (Monday) to 7 (Sunday)');
          break;
        }
        if (
          value.every(
            (d) =>
              (Number.isInteger(d) && (d as number) >= 1 && (d as number) <= 7) || (add(at, `'${String(d)}' is not a day 1 (Monday) to 7 (Sunday)`), false),
          )
        )
          out.weekday = unique(value as number[]).sort();
        break;
      }
      case 'hour': {
        const ok =
          isObject(value) &&
          Object.keys(value).every((k) => k === 'from' || k === 'to') &&
          Number.isInteger(value.from) &&
          Number.isInteger(value.to) &&
          (value.from as number) >= 0 &&
          (value.from as number) <= 23 &&
          (value.to as number) >= 0 &&
          (value.to as number) <= 24 &&
          value.from !== value.to;
        if (ok) out.hour = { from: value.from as number, to: value.to as number };
        else add(at, 'must be {"from": 0..23, "to": 0..24} with from and to different (from inclusive, to exclusive; from > to wraps past midnight)');
        break;
      }
      case 'tz':
        if (typeof value === 'string' && isZoneName(value)) out.tz = value;
        else add(at, 'must be an IANA time zone name, such as Europe/Berlin');
        break;
      case 'not':
        if (depth >= MAX_NOT_DEPTH) add(at, `at most ${MAX_NOT_DEPTH} levels of not`);
        else out.not = parseWhen(value, at, problems, depth + 1);
        break;
    }
  }
  return out;
}

function texts(value: unknown, at: string, add: (f: string, p: string) => void, allowEmptyText = false): string[] | null {
  if (!Array.isArray(value) || value.length === 0) {
    add(at, 'must be a non-empty list of values');
    return null;
  }
  if (value.length > MAX_VALUES) {
    add(at, `at most ${MAX_VALUES} values`);
    return null;
  }
  for (const v of value) {
    if (typeof v !== 'string' || (!allowEmptyText && v.length === 0) || v.length > MAX_TEXT) {
      add(at, `values are texts of ${allowEmptyText ? 0 : 1} to ${MAX_TEXT} characters`);
      return null;
    }
  }
  return value as string[];
}

function unique<T>(list: T[]): T[] {
  return [...new Set(list)];
}
