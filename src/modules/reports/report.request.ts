import { DomainException } from '../../common/domain.exception';
import { Dimension, findDimension, TimeGrain } from './dimension.registry';
import { isZoneName, wallClockToInstant } from './zoned-time';

export type ConversionClock = 'conversion' | 'visit';

export interface ReportFilter {
  dimension: Dimension;
  /** Any of these (a parameter given twice means either value). Time values are local timestamps. */
  values: string[];
}

/** A validated `GET /reports` query (SPEC §8). `tz` is a zone name Intl knows (local times are worked out in JS). */
export interface ReportRequest {
  groupBy: Dimension[];
  filters: ReportFilter[];
  from: Date | null;
  to: Date | null;
  tz: string;
  conversionTime: ConversionClock;
  format: 'json' | 'csv';
}

/** Every dimension the request uses: grouped by, then filtered by. */
export function dimensionsInUse(req: ReportRequest): Dimension[] {
  return [...req.groupBy, ...req.filters.map((f) => f.dimension)];
}

/** The time grains the request groups or filters by (what its bucket plan is cut at). */
export function grainsInUse(req: ReportRequest): TimeGrain[] {
  return dimensionsInUse(req).flatMap((d) => (d.grain ? [d.grain] : []));
}

/** Query parameters that are not dimension filters. */
const CONTROL = new Set(['groupBy', 'from', 'to', 'tz', 'conversionTime', 'format']);
const MAX_GROUP_BY = 6;
const MAX_VALUE_LENGTH = 1000;

const TIME_VALUE: Record<TimeGrain, { pattern: RegExp; example: string; toLocal: (m: RegExpExecArray) => string }> = {
  hour: { pattern: /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):00$/, example: '2024-03-11T05:00', toLocal: (m) => `${m[1]}-${m[2]}-${m[3]} ${m[4]}:00:00` },
  day: { pattern: /^(\d{4})-(\d{2})-(\d{2})$/, example: '2024-03-11', toLocal: (m) => `${m[1]}-${m[2]}-${m[3]} 00:00:00` },
  week: { pattern: /^(\d{4})-(\d{2})-(\d{2})$/, example: '2024-03-11 (a Monday)', toLocal: (m) => `${m[1]}-${m[2]}-${m[3]} 00:00:00` },
  month: { pattern: /^(\d{4})-(\d{2})$/, example: '2024-03', toLocal: (m) => `${m[1]}-${m[2]}-01 00:00:00` },
};

function texts(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map((v) => String(v));
}

const LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/;
const ZONED_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** An ISO time with an offset is that instant; one without (`2024-03-11`) is wall-clock time in `tz`. */
function time(field: string, value: unknown, tz: string | null, problems: Record<string, string[]>): Date | null {
  const [raw, ...more] = texts(value);
  if (raw === undefined || raw === '') return null;
  const bad = () => {
    problems[field] = ['must be one ISO 8601 time, such as 2024-03-01T00:00:00Z (without an offset: wall-clock time in tz)'];
    return null;
  };
  if (more.length) return bad();
  // An unencoded `+05:45` arrives as ` 05:45` (a plus in a query string is a space).
  const text = raw.replace(/^(\d{4}-\d{2}-\d{2}T[\d:.]+) (\d{2}:?\d{2})$/, '$1+$2');
  if (ZONED_TIME.test(text)) {
    const d = new Date(text);
    return Number.isNaN(d.getTime()) ? bad() : d;
  }
  const m = LOCAL_TIME.exec(text);
  if (!m) return bad();
  const [, y, mo, d, h = '0', mi = '0', s = '0', ms = '0'] = m;
  const wall = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, +ms.padEnd(3, '0'));
  const check = new Date(wall);
  if (Number.isNaN(wall) || check.getUTCMonth() !== +mo - 1 || check.getUTCDate() !== +d || +h > 23 || +mi > 59 || +s > 59) return bad();
  // An invalid tz is reported on its own; the time is not checked further.
  return tz ? wallClockToInstant(wall, tz) : null;
}

function filterValue(d: Dimension, value: string): string | null {
  if (value.length > MAX_VALUE_LENGTH) return null;
  if (d.kind === 'boolean') return value === 'true' || value === 'false' ? value : null;
  if (d.kind === 'rule') return /^\d{1,3}$/.test(value) ? value : null;
  if (d.kind !== 'time') return value;
  const rule = TIME_VALUE[d.grain!];
  const m = rule.pattern.exec(value);
  if (!m) return null;
  const local = rule.toLocal(m);
  const check = new Date(`${local.replace(' ', 'T')}Z`);
  if (Number.isNaN(check.getTime()) || check.toISOString().slice(0, 19) !== local.replace(' ', 'T')) return null;
  if (d.grain === 'week' && check.getUTCDay() !== 1) return null;
  return local;
}

function expected(d: Dimension): string {
  if (d.kind === 'boolean') return 'must be true or false';
  if (d.kind === 'rule') return "must be a rule's index, such as 0";
  if (d.kind === 'time') return `must look like ${TIME_VALUE[d.grain!].example}`;
  return `must be at most ${MAX_VALUE_LENGTH} characters`;
}

/**
 * Reads the query string of `GET /reports`. Every problem is collected and named; an unknown
 * dimension (in groupBy or as a filter) is a VALIDATION_FAILED naming it.
 */
export function parseReportRequest(query: Record<string, unknown>, accept?: string): ReportRequest {
  const problems: Record<string, string[]> = {};
  const add = (field: string, problem: string) => (problems[field] ??= []).push(problem);

  const groupBy: Dimension[] = [];
  const names = texts(query.groupBy)
    .flatMap((g) => g.split(','))
    .map((n) => n.trim())
    .filter(Boolean);
  for (const name of names) {
    const d = findDimension(name);
    if (!d) add('groupBy', `unknown dimension '${name}'`);
    else if (groupBy.some((g) => g.name === name)) add('groupBy', `names '${name}' twice`);
    else groupBy.push(d);
  }
  if (names.length > MAX_GROUP_BY) add('groupBy', `at most ${MAX_GROUP_BY} dimensions`);

  const filters: ReportFilter[] = [];
  for (const [name, raw] of Object.entries(query)) {
    if (CONTROL.has(name)) continue;
    const d = findDimension(name);
    if (!d) {
      add(name, 'is not a known dimension or report parameter');
      continue;
    }
    const values: string[] = [];
    for (const v of texts(raw)) {
      const ok = filterValue(d, v);
      if (ok === null) add(name, expected(d));
      else values.push(ok);
    }
    if (values.length) filters.push({ dimension: d, values });
  }

  const [tzText = 'UTC', ...moreTz] = texts(query.tz).filter(Boolean);
  const tz = !moreTz.length && isZoneName(tzText) ? tzText : null;
  if (!tz) add('tz', 'must be one IANA time zone name, such as Asia/Kathmandu or UTC');

  const from = time('from', query.from, tz, problems);
  const to = time('to', query.to, tz, problems);
  if (from && to && from.getTime() > to.getTime()) add('to', 'must not be before from');

  const [clock = 'conversion'] = texts(query.conversionTime);
  if (clock !== 'conversion' && clock !== 'visit') add('conversionTime', "must be 'conversion' or 'visit'");

  const [fmt] = texts(query.format);
  if (fmt !== undefined && fmt !== 'json' && fmt !== 'csv') add('format', "must be 'json' or 'csv'");
  const format = fmt === 'csv' || (fmt === undefined && /\btext\/csv\b/i.test(accept ?? '')) ? 'csv' : 'json';

  if (Object.keys(problems).length) throw DomainException.invalid(problems);
  return { groupBy, filters, from, to, tz: tz!, conversionTime: clock as ConversionClock, format };
}
