import { minorUnits } from '../../common/money';
import type { ExchangeRates } from '../exchange-rates/exchange-rates.service';
import { BucketPlan, coverByDays, Piece, Segment, SignedPiece } from './bucket.planner';
import { Dimension, Join, Side, SqlScope, TimeGrain } from './dimension.registry';
import { EXACT_SCALE, metricColumns, metricExpressions } from './report.metrics';
import { dimensionsInUse, grainsInUse, ReportRequest } from './report.request';
import { pickRollup, RollupFamily, rollupFamily, SLOT_ROLLUP, SLOT_VALUE_ROLLUP } from './rollup.registry';

/** One parameterised SQL statement: the whole report (SPEC §8: one query per request). */
export interface CompiledReport {
  sql: string;
  params: unknown[];
  /** False when grouped by a conversion-only dimension: the click metrics are null. */
  withClicks: boolean;
  /** The rollup the click side reads, or null for raw visits. */
  rollup: string | null;
}

/**
 * What the statement answers: `rows`, one row per report row (d0..dn, dN_name, the metrics,
 * missing_rates); `json`, rows of three text columns in order: `rows` (a chunk of the answer rows
 * as JSON text, in order, comma-separated, without the brackets; null in the one row answered when
 * there are no rows or more than `maxRows`), `missing_rates` (a JSON array; null when none) and
 * `row_count`, the same on every row. All text, so the caller can take them as bytes.
 */
export type AnswerShape = 'rows' | 'json';

/**
 * Answer rows per chunk of a `json` answer. One text value of 11.1 MB cost PostgreSQL about 80 ms
 * more CPU to send than the same bytes in chunks, and node-postgres more to receive (`offer,hour`
 * in Kolkata answers 9.7 MB; docs/decisions.md).
 */
export const JSON_CHUNK_ROWS = 64;

export interface CompileOptions {
  answer?: AnswerShape;
  /**
   * The most report rows to answer. `rows`: one more is read at most (LIMIT), so the caller can
   * tell. `json`: the rows' text is not built when there are more, and `row_count` says how many.
   */
  maxRows?: number;
  /** `json`: answer rows per chunk (JSON_CHUNK_ROWS). */
  chunkRows?: number;
}

const TIME_FORMAT: Record<TimeGrain, string> = {
  hour: `'YYYY-MM-DD"T"HH24:00'`,
  day: `'YYYY-MM-DD'`,
  week: `'YYYY-MM-DD'`,
  month: `'YYYY-MM'`,
};
const VALUE_TYPE = { entity: 'text', text: 'text', boolean: 'boolean', time: 'timestamp', rule: 'integer' } as const;
const COUNTS = ['clicks', 'unique_clicks', 'bot_clicks', 'lander_visits', 'lander_clicks', 'conversions', 'approved', 'pending', 'declined'];

class Params {
  readonly values: unknown[] = [];
  bind = (value: unknown): string => {
    this.values.push(value);
    return `$${this.values.length}`;
  };
}

interface Source {
  scope: SqlScope;
  pick: (d: Dimension) => Side | null;
  /**
   * FROM and JOIN lines, given the extra joins the dimensions need and, for a source that takes
   * them (`inner`), the filters that need no join, to apply where it reads its rows.
   */
  from: (joins: Join[], inner: string[]) => string[];
  /** Takes the filters needing no join into `from` (a rollup: into its index range scans). */
  inner?: boolean;
  /** Grouped by currency too (amounts are summed as they are); none: the sums convert them. */
  currency?: string;
  sums: string[];
  /** Time dimensions grouped by their bucket (`date_trunc`) rather than by piece. */
  buckets?: boolean;
  /** Conditions of the source itself, before the request's filters. */
  where?: string[];
  /** Grouped once per row of this FROM item (LATERAL), as when each of its rows is a group of its own. */
  each?: string;
}

const JOIN_SQL: Record<Join, (click: SqlScope['click']) => string> = {
  clickOffer: (click) => `LEFT JOIN offers vo ON vo.id = ${click}.offer_id`,
};

/**
 * An amount in the exchange-rate base: as it is in the base currency, else divided by its rate
 * (null without one) to EXACT_SCALE's decimals. Converted per stacked row (rollup segment, raw
 * range, currency) or per conversion, so the sum's digits do not depend on how the window was
 * split into rows beyond the 30th decimal (with numeric division's 16 significant digits, `cpa`
 * could differ in its 17th digit between two splits of the same clicks).
 */
const inBase = (base: string, amount: string, currency: string, rate: string) =>
  `CASE WHEN ${currency} = ${base} THEN ${amount} ELSE (${amount} + ${EXACT_SCALE}) / ${rate} END`;

/** A currency other than the base with no rate: left out of the sums, named in `missingRates`. */
const rateless = (base: string, currency: string, rate: string) => `${currency} <> ${base} AND ${rate} IS NULL`;

/** One grouped SELECT: the group keys, the currency, the source's sums, the request's filters. */
function aggregate(req: ReportRequest, src: Source): string {
  const joins = new Set<Join>();
  const use = (d: Dimension) => {
    const s = src.pick(d)!;
    s.joins.forEach((j) => joins.add(j));
    return s.sql(src.scope);
  };
  const keys = req.groupBy.map((d, i) => `${d.kind === 'time' && src.buckets ? `date_trunc('${d.grain}', ${use(d)})` : use(d)} AS d${i}`);
  const where: string[] = [...(src.where ?? [])];
  const inner: string[] = [];
  // A conversion-only filter (status, conversionType) narrows the conversions, not the clicks.
  for (const f of req.filters.filter((x) => src.pick(x.dimension) !== null)) {
    const d = f.dimension;
    const expr = d.kind === 'time' ? `date_trunc('${d.grain}', ${use(d)})` : d.kind === 'rule' ? `split_part(${use(d)}, '|', 1)::integer` : use(d);
    const type = VALUE_TYPE[d.kind];
    const test = f.values.length === 1 ? `${expr} = ${src.scope.bind(f.values[0])}::${type}` : `${expr} = ANY(${src.scope.bind(f.values)}::${type}[])`;
    (src.inner && d.kind !== 'time' && src.pick(d)!.joins.length === 0 ? inner : where).push(test);
  }
  const extra = src.currency ? [`${src.currency} AS currency`] : [];
  const positions = [...keys, ...extra].map((_, i) => i + 1).join(', ');
  const grouped = [
    `  SELECT ${[...keys, ...extra, ...src.sums].join(',\n         ')}`,
    ...src.from([...joins].sort(), inner).map((l) => `  ${l}`),
    where.length ? `  WHERE ${where.join('\n    AND ')}` : '',
    positions ? `  GROUP BY ${positions}` : '',
  ]
    .filter(Boolean)
    .join('\n');
  return src.each ? `  SELECT x.* FROM ${src.each} CROSS JOIN LATERAL (\n${grouped}\n  ) x` : grouped;
}

function ranges(p: Params, pieces: readonly Piece[]): string {
  return `unnest(${p.bind(pieces.map((x) => x.start.toISOString()))}::timestamptz[], ${p.bind(pieces.map((x) => x.end.toISOString()))}::timestamptz[], ${p.bind(pieces.map((x) => x.label))}::timestamp[])`;
}

/** The click measures of raw visits: each a count of the visits matching its filter (all without one). */
const RAW_COUNTS: [string, string | null][] = [
  ['clicks', null],
  ['unique_clicks', 'v.is_unique'],
  ['bot_clicks', 'v.bot'],
  ['lander_visits', 'v.landing_page_id IS NOT NULL'],
  ['lander_clicks', 'v.lp_clicked_at IS NOT NULL'],
];

/** The sums of raw visits; with `sign`, each visit counted that many times (see SIGNS, signed ranges). */
function rawClickSums(sign: string | null = null): string[] {
  const one = sign ? `sum(${sign})` : 'count(*)';
  return [
    ...RAW_COUNTS.map(([c, filter]) =>
      filter === null ? `${one} AS ${c}` : sign ? `coalesce(${one} FILTER (WHERE ${filter}), 0) AS ${c}` : `${one} FILTER (WHERE ${filter}) AS ${c}`,
    ),
    `sum(${sign ? `${sign} * ` : ''}v.cost) AS cost`,
  ];
}

/**
 * The visits in these ranges (`rangesSql` their rows, `within` the ranges themselves). The
 * planner cannot see into the arrays the ranges are bound as: the first start and the last end,
 * bound as values too, bound each partition's index read to the window, where it would otherwise
 * read a campaign's visits of every day kept and filter them by the ranges after (issue 14:
 * zone,day in New York over 30 of 90 days, 1.2-1.3 s of database time against 0.58-0.62 s).
 */
function rawClicks(p: Params, rangesSql: string, within: readonly Piece[]): Source {
  const span = within.length
    ? ` AND v.created_at >= ${p.bind(minStart(within).toISOString())}::timestamptz AND v.created_at < ${p.bind(maxEnd(within).toISOString())}::timestamptz`
    : '';
  return {
    scope: { bind: p.bind, click: 'v', label: 'rr' },
    pick: (d) => d.click,
    from: (joins) => [
      `FROM ${rangesSql} AS rr (s, e, label)`,
      `JOIN visits v ON v.created_at >= rr.s AND v.created_at < rr.e${span}`,
      ...joins.map((j) => JOIN_SQL[j]('v')),
    ],
    currency: 'v.cost_currency',
    sums: rawClickSums(),
  };
}

/**
 * Raw ranges added to their piece or taken away from it (coverByDays): each visit counted `sign`
 * times under the range's label. A New York day takes away the hours its next day adds, so each
 * distinct span is read once (`rg`) and its visits go to every (label, sign) it has (`rr`). Each
 * span is read by an index range scan of its own (LATERAL ... OFFSET 0): the spans are a few hours
 * of each day, and left to itself the planner reads every visit from the first to the last and
 * tests each against every span (issue 14: zone,day in New York, 92,000 visits read for 19,000).
 */
function signedRawClicks(p: Params, within: readonly SignedPiece[]): Source {
  if (within.every((r) => r.sign === 1)) return rawClicks(p, ranges(p, within), within);
  // Each distinct span once, numbered from 1 in order of first use.
  const key = (r: Piece) => `${r.start.toISOString()}/${r.end.toISOString()}`;
  const spans = [...new Map(within.map((r) => [key(r), r])).values()];
  const number = new Map(spans.map((r, i) => [key(r), i + 1]));
  const at = within.map((r) => number.get(key(r))!);
  const [starts, ends] = [spans.map((r) => r.start.toISOString()), spans.map((r) => r.end.toISOString())];
  return {
    scope: { bind: p.bind, click: 'v', label: 'rr' },
    pick: (d) => d.click,
    inner: true,
    from: (joins, inner) => [
      // The outer OFFSET 0 keeps the planner from joining the marks to the spans first (one read per mark).
      `FROM (SELECT rg.n AS span, v.* FROM unnest(${p.bind(starts)}::timestamptz[], ${p.bind(ends)}::timestamptz[]) WITH ORDINALITY AS rg (s, e, n)`,
      `  CROSS JOIN LATERAL (SELECT * FROM visits v WHERE ${['v.created_at >= rg.s AND v.created_at < rg.e', ...inner].join(' AND ')} OFFSET 0) v OFFSET 0) v`,
      `JOIN unnest(${p.bind(at)}::bigint[], ${p.bind(within.map((r) => r.label))}::timestamp[], ${p.bind(within.map((r) => r.sign))}::smallint[]) AS rr (span, label, sign) ON rr.span = v.span`,
      ...joins.map((j) => JOIN_SQL[j]('v')),
    ],
    currency: 'v.cost_currency',
    sums: rawClickSums('rr.sign'),
  };
}

/** Rollup segments as rows (grain, s, e, label), bound once and read by every rollup part. */
function segmentsSql(p: Params, s: Segment[]): string {
  return `unnest(${p.bind(s.map((x) => x.grain))}::smallint[], ${p.bind(s.map((x) => x.start.toISOString()))}::timestamptz[], ${p.bind(s.map((x) => x.end.toISOString()))}::timestamptz[], ${p.bind(s.map((x) => x.label))}::timestamp[])`;
}

/**
 * Each row twice, once added (sg.sign 1) and once taken away (-1): the visits of overflowed days
 * count under their slot's value and are taken away from the group of clicks without the slot.
 */
const SIGNS = 'CROSS JOIN (VALUES (1), (-1)) AS sg (sign)';
const ROLLUP_MEASURES = [...RAW_COUNTS.map(([c]) => c), 'cost'];

interface RollupOptions {
  /** More conditions on the rollup rows (`r`). */
  where?: string;
  /** How a slot's value is read (the slot rollup's `value`, or nothing). */
  slot?: () => string;
}

function rollupClicks(p: Params, family: RollupFamily, segments: string, o: RollupOptions = {}): Source {
  return {
    scope: { bind: p.bind, click: 'r', label: 'seg', slot: o.slot },
    pick: (d) => d.click,
    inner: true,
    // Grouped segment by segment: one index range scan each (the planner cannot see into the
    // arrays, and left to itself it scans the whole rollup and filters the ranges), and a few
    // hundred rows to group each, where grouping all of them at once hashed 287,000 rows into
    // 34,500 groups of numeric sums and spilled (offer,hour in Kolkata, issue 14). The filters go
    // inside, so the index checks those on its columns before any row is read.
    each: `${segments} AS seg (grain, s, e, label)`,
    from: (joins, inner) => [
      `FROM (SELECT * FROM ${family.table} r WHERE ${[...(o.where ? [o.where] : []), 'r.grain = seg.grain AND r.bucket >= seg.s AND r.bucket < seg.e', ...inner].join(' AND ')} OFFSET 0) r`,
      ...joins.map((j) => JOIN_SQL[j]('r')),
    ],
    currency: 'r.cost_currency',
    sums: ROLLUP_MEASURES.map((c) => `sum(r.${c}) AS ${c}`),
  };
}

/**
 * The visits of the days whose slot overflowed the slot rollup (`family`; few, usually none)
 * inside the rollup segments: what the rollup would have held for them. A day overflows per
 * campaign in rollup_clicks_by_slot (migration 1797400000000), for all campaigns together in
 * rollup_clicks_by_slot_value (migration 1797500000000, under the campaign id '').
 */
function overflowedClicks(p: Params, family: RollupFamily, segments: string, slotName: string, signed: boolean): Source {
  const value = `v.remaped ->> ${slotName}`;
  const byCampaign = family.table === SLOT_ROLLUP;
  return {
    scope: { bind: p.bind, click: 'v', label: 'seg', slot: () => (signed ? `CASE WHEN sg.sign = 1 THEN ${value} END` : value) },
    pick: (d) => d.click,
    from: (joins) => [
      `FROM ${segments} AS seg (grain, s, e, label)`,
      `JOIN rollup_slot_days d ON d.day > seg.s - interval '1 day' AND d.day < seg.e AND d.slot = ${slotName}${byCampaign ? '' : " AND d.campaign_id = ''"} AND d.overflowed`,
      // Driven by the overflowed days (few, usually none): joined plainly, the planner could read
      // the campaign's every visit first and find no overflowed day for any (3.3 s for nothing).
      `CROSS JOIN LATERAL (SELECT * FROM visits v WHERE ${byCampaign ? 'v.campaign_id = d.campaign_id AND ' : ''}v.created_at >= greatest(seg.s, d.day) AND v.created_at < least(seg.e, d.day + interval '1 day') OFFSET 0) v`,
      ...(signed ? [SIGNS] : []),
      ...joins.map((j) => JOIN_SQL[j]('v')),
    ],
    currency: 'v.cost_currency',
    sums: rawClickSums(signed ? 'sg.sign' : null),
  };
}

/**
 * The click side of a report by one remapped slot from the slot rollup: its rows under their
 * value, plus the visits of overflowed days. Grouped by the slot (and not filtered by it), the
 * answer also has a row for the clicks without the slot, as raw visits give: every click of the
 * entity rollup under no value, minus the slot's clicks (its totals summed once more, negated).
 * Answers CTEs to add before click_totals and parts of it.
 */
function slotParts(req: ReportRequest, p: Params, family: RollupFamily, segments: string): { ctes: string[]; parts: string[] } {
  const slotName = p.bind(dimensionsInUse(req).find((d) => d.slot)!.slot);
  const grouped = req.groupBy.some((d) => d.slot) && !req.filters.some((f) => f.dimension.slot);
  const values = aggregate(req, rollupClicks(p, family, segments, { where: `r.slot = ${slotName}`, slot: () => 'r.value' }));
  const overflowed = aggregate(req, overflowedClicks(p, family, segments, slotName, grouped));
  if (!grouped) return { ctes: [], parts: [values, overflowed] };
  const others = req.groupBy.flatMap((d, i) => (d.slot ? [] : [`d${i}`]));
  const negated = [
    `  SELECT ${[...req.groupBy.map((d, i) => (d.slot ? `NULL::text AS d${i}` : `d${i}`)), 'currency', ...ROLLUP_MEASURES.map((c) => `-sum(${c}) AS ${c}`)].join(', ')}`,
    '  FROM slot_values',
    `  GROUP BY ${[...others, 'currency'].join(', ')}`,
  ].join('\n');
  return {
    ctes: [`slot_values AS (\n${values}\n)`],
    parts: [
      '  SELECT * FROM slot_values',
      negated,
      aggregate(req, rollupClicks(p, rollupFamily('rollup_clicks_by_entity'), segments, { slot: () => 'NULL::text' })),
      overflowed,
    ],
  };
}

const minStart = (rs: readonly Piece[]) => new Date(Math.min(...rs.map((r) => r.start.getTime())));
const maxEnd = (rs: readonly Piece[]) => new Date(Math.max(...rs.map((r) => r.end.getTime())));

/** Adjacent ranges of the same piece (and sign) as one (fewer ranges for raw visits to be read by). */
function merged<T extends Piece & { sign?: number }>(ranges: T[]): T[] {
  const out: T[] = [];
  for (const r of [...ranges].sort((a, b) => a.start.getTime() - b.start.getTime())) {
    const last = out[out.length - 1];
    if (last && last.label === r.label && last.sign === r.sign && last.end.getTime() === r.start.getTime()) out[out.length - 1] = { ...last, end: r.end };
    else out.push(r);
  }
  return out;
}

/**
 * The conversions of each final group in one pass (grouped by bucket, not by piece): the status
 * counts, revenue converted into the base (a currency with no rate is left out of it and listed in
 * `unrated`), and the median click-to-conversion time in seconds of the attributed ones not
 * declined (`timeToConvert`, SPEC §8: a median does not add up across pieces or currencies, so it
 * is taken here, per final group). One row per group is stacked under the click totals.
 */
function conversionTotals(p: Params, req: ReportRequest, base: string, perPiece: boolean): Source {
  const clock = req.conversionTime === 'visit' ? 'f.visit_created_at' : 'f.created_at';
  const counted = "f.status <> 'declined'";
  return {
    scope: { bind: p.bind, click: 'v', label: 'rr' },
    pick: (d) => d.conversion,
    from: (joins) => [
      ...(perPiece ? ['FROM conversion_facts f'] : ['FROM pieces rr', `JOIN conversion_facts f ON ${clock} >= rr.s AND ${clock} < rr.e`]),
      'LEFT JOIN rates fr ON fr.currency = f.currency',
      ...joins.map((j) => JOIN_SQL[j]('v')),
    ],
    where: perPiece ? [`${clock} >= rr.s AND ${clock} < rr.e`] : [],
    each: perPiece ? 'pieces rr' : undefined,
    buckets: true,
    sums: [
      `count(*) FILTER (WHERE ${counted}) AS conversions`,
      "count(*) FILTER (WHERE f.status = 'approved') AS approved",
      "count(*) FILTER (WHERE f.status = 'pending') AS pending",
      "count(*) FILTER (WHERE f.status = 'declined') AS declined",
      `coalesce(sum(${inBase(base, 'f.payout', 'f.currency', 'fr.rate')}) FILTER (WHERE ${counted}), 0) AS revenue`,
      `percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM f.created_at - f.visit_created_at)) FILTER (WHERE ${counted} AND f.visit_created_at IS NOT NULL) AS ttc`,
      `array_agg(DISTINCT f.currency) FILTER (WHERE ${counted} AND ${rateless(base, 'f.currency', 'fr.rate')} AND f.payout <> 0) AS unrated`,
    ],
  };
}

function finalKey(d: Dimension, i: number): string[] {
  if (d.kind === 'entity') return [`t.d${i}`, `e${i}.name AS d${i}_name`];
  if (d.kind === 'time') return [`to_char(t.d${i}, ${TIME_FORMAT[d.grain!]}) AS d${i}`];
  return [`t.d${i}`];
}

/** JSON text of a value (`null` for NULL): a string escaped as JSON, a boolean, a number. */
const jsonOf = (sql: string) => `coalesce(to_json(${sql})::text, 'null')`;

/** A dimension's value in an answer row as JSON text, as toReportAnswer (report.mapper.ts) gives it. */
function jsonKey(d: Dimension, i: number): string {
  const v = `t.d${i}`;
  if (d.kind === 'entity') return `CASE WHEN ${v} IS NULL THEN 'null' ELSE '{"id":' || to_json(${v})::text || ',"name":' || ${jsonOf(`e${i}.name`)} || '}' END`;
  // The formats print digits, '-', ':' and 'T': nothing to escape.
  if (d.kind === 'time') return `coalesce('"' || to_char(${v}, ${TIME_FORMAT[d.grain!]}) || '"', 'null')`;
  if (d.kind === 'rule') {
    return `CASE WHEN ${v} IS NULL THEN 'null' ELSE '{"index":' || split_part(${v}, '|', 1)::integer::text || ',"name":' || to_json(substr(${v}, strpos(${v}, '|') + 1))::text || '}' END`;
  }
  return jsonOf(v);
}

/**
 * One answer row as JSON text, built by the database: the grouped dimensions under their names,
 * then the metrics (numbers as their shortest exact text, extra_float_digits being 1). Keys are
 * bound, not spliced. A report of 28,840 rows (offer,hour in Kolkata over 30 days, issue 14) is
 * then 451 text values (JSON_CHUNK_ROWS) the tracker joins, not 28,840 rows parsed into objects,
 * mapped and serialised.
 */
function jsonRow(p: Params, groupBy: Dimension[], withClicks: boolean, moneyDigits: number): string {
  const fields: [string, string][] = [
    ...groupBy.map((d, i): [string, string] => [d.name, jsonKey(d, i)]),
    ...metricExpressions(withClicks, moneyDigits).map(([m, sql]): [string, string] => [m, `coalesce((${sql})::text, 'null')`]),
  ];
  return [...fields.map(([name, sql], i) => `${p.bind(`${i ? ',' : '{'}${JSON.stringify(name)}:`)}::text || ${sql}`), `'}'`].join('\n    || ');
}

function chunkRows(o: CompileOptions): number {
  const n = o.chunkRows ?? JSON_CHUNK_ROWS;
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`chunkRows must be a positive integer, not ${n}`);
  return n;
}

/**
 * Compiles a report over a planned window. Clicks come from the smallest rollup holding every
 * dimension in use (plus raw visits for the edges no rollup bucket covers), else from raw visits;
 * conversions from conversion_facts (which copy their visit's attributes and slots). The two
 * sides are stacked with UNION ALL and grouped again (GROUP BY treats NULL keys as equal, which a
 * FULL JOIN on nullable keys cannot do: PostgreSQL refuses IS NOT DISTINCT FROM there), amounts
 * are converted into the base with the rates bound as arrays, and entity names joined last. The
 * answer is a row per report row, or (`json`) the report rows' JSON text in chunks (AnswerShape).
 */
export function compileReport(req: ReportRequest, rates: ExchangeRates, plan: BucketPlan, o: CompileOptions = {}): CompiledReport {
  const answer = o.answer ?? 'rows';
  const p = new Params();
  const withClicks = req.groupBy.every((d) => d.click !== null);
  const keyList = req.groupBy.map((_, i) => `d${i}, `).join('');
  const ctes = [
    `pieces (s, e, label) AS (\n  SELECT * FROM ${ranges(p, plan.pieces)}\n)`,
    `rates (currency, rate) AS (\n  SELECT * FROM unnest(${p.bind(Object.keys(rates.rates))}::text[], ${p.bind(Object.values(rates.rates))}::numeric[])\n)`,
  ];
  const base = p.bind(rates.base);
  const stacked: string[] = [];
  const missing: string[] = [];
  let rollup: RollupFamily | null = null;
  if (withClicks) {
    rollup = pickRollup(dimensionsInUse(req));
    const parts: string[] = [];
    if (rollup) {
      // A family keeping days alone covers the pieces with its days and raw ranges added or taken away.
      const cover = rollup.daysOnly ? coverByDays(plan.pieces) : { segments: plan.segments, raw: plan.rawEdges.map((x) => ({ ...x, sign: 1 as const })) };
      const raw = merged(cover.raw);
      if (cover.segments.length) {
        const rows = segmentsSql(p, cover.segments);
        if (rollup.table === SLOT_ROLLUP || rollup.table === SLOT_VALUE_ROLLUP) {
          const slot = slotParts(req, p, rollup, rows);
          ctes.push(...slot.ctes);
          parts.push(...slot.parts);
        } else parts.push(aggregate(req, rollupClicks(p, rollup, rows)));
      }
      if (raw.length) parts.push(aggregate(req, signedRawClicks(p, raw)));
    }
    // No rollup, or an empty window: the pieces (none when empty) over raw visits.
    if (parts.length === 0) parts.push(aggregate(req, rawClicks(p, 'pieces', plan.pieces)));
    ctes.push(`click_totals AS (\n${parts.join('\n  UNION ALL\n')}\n)`);
    stacked.push(
      `  SELECT ${keyList}currency, clicks, unique_clicks, bot_clicks, lander_visits, lander_clicks, cost, 0 AS conversions, 0 AS approved, 0 AS pending, 0 AS declined, 0 AS revenue, NULL::float8 AS ttc FROM click_totals`,
    );
    missing.push(
      `  SELECT c.currency FROM click_totals c LEFT JOIN rates r ON r.currency = c.currency WHERE ${rateless(base, 'c.currency', 'r.rate')} AND c.cost <> 0`,
    );
  }
  // One time grain in use, and grouped by it: each piece is one bucket, so the conversions can be
  // grouped piece by piece, each piece's few rows sorted on their own for the median, instead of
  // all of them in one sort (issue 14: campaign,day in Kathmandu over 30 days, 70,000 conversions,
  // 172-178 against 146-147 ms of database time). Otherwise a bucket can span pieces, and a median
  // does not add up across them.
  const grains = new Set(grainsInUse(req));
  const perPiece = grains.size === 1 && req.groupBy.some((d) => d.grain !== undefined && grains.has(d.grain));
  ctes.push(`conversion_totals AS (\n${aggregate(req, conversionTotals(p, req, base, perPiece))}\n)`);
  stacked.push(
    `  SELECT ${keyList}${base} AS currency, 0 AS clicks, 0 AS unique_clicks, 0 AS bot_clicks, 0 AS lander_visits, 0 AS lander_clicks, 0 AS cost,
         conversions, approved, pending, declined, revenue, ttc
  FROM conversion_totals`,
  );
  missing.push('  SELECT unnest(unrated) FROM conversion_totals');
  ctes.push(`merged AS (\n${stacked.join('\n  UNION ALL\n')}\n)`);
  // Named in the answer (SPEC §8 missingRates), not per row: every row carries the same list.
  ctes.push(`missing (currencies) AS (\n  SELECT array_agg(DISTINCT x.currency) FROM (\n${missing.join('\n  UNION ALL\n')}\n  ) x (currency)\n)`);
  const keys = req.groupBy.map((d, i) => (d.kind === 'time' ? `date_trunc('${d.grain}', m.d${i})` : `m.d${i}`));
  ctes.push(`t AS (
  SELECT ${[
    ...keys.map((k, i) => (k === `m.d${i}` ? k : `${k} AS d${i}`)),
    ...COUNTS.map((c) => `coalesce(sum(m.${c}), 0)::bigint AS ${c}`),
    `coalesce(sum(${inBase(base, 'm.cost', 'm.currency', 'r.rate')}), 0) AS cost`,
    'coalesce(sum(m.revenue), 0) AS revenue',
    // One stacked row per group (its conversions) carries its median; the click rows have none.
    'max(m.ttc) AS ttc_median',
    '(SELECT currencies FROM missing) AS missing_rates',
  ].join(',\n         ')}
  FROM merged m
  LEFT JOIN rates r ON r.currency = m.currency${
    keys.length
      ? // Rollup rows can sum to nothing (a click written, then deleted): such a group is not shown.
        `\n  GROUP BY ${keys.join(', ')}\n  HAVING sum(m.clicks) <> 0 OR sum(m.conversions) <> 0 OR sum(m.declined) <> 0 OR sum(m.cost) <> 0`
      : ''
  }
)`);
  const names = req.groupBy.map((d, i) => (d.kind === 'entity' ? `\nLEFT JOIN ${d.entityTable} e${i} ON e${i}.id = t.d${i}` : '')).join('');
  const order = req.groupBy.map((d, i) => (d.kind === 'entity' ? `e${i}.name, t.d${i}` : `t.d${i}`));
  const moneyDigits = minorUnits(rates.base) + 2;
  const select =
    answer === 'json'
      ? [
          // Every row of t carries the same missing_rates (none when t has no rows). The LEFT JOIN
          // answers one row, its text null, when there are no chunks.
          'SELECT c.rows, to_json(s.missing_rates)::text AS missing_rates, s.row_count::text AS row_count',
          'FROM (SELECT max(t.missing_rates) AS missing_rates, count(*) AS row_count FROM t) s',
          'LEFT JOIN LATERAL (',
          `  SELECT (x.n - 1) / ${chunkRows(o)} AS chunk, string_agg(x.j, ',' ORDER BY x.n) AS rows`,
          `  FROM (SELECT ${jsonRow(p, req.groupBy, withClicks, moneyDigits)} AS j,`,
          `          row_number() OVER (${order.length ? `ORDER BY ${order.join(', ')}` : ''}) AS n`,
          `        FROM t${names.replace(/\n/g, '\n        ')}) x`,
          o.maxRows === undefined ? '' : `  WHERE s.row_count <= ${p.bind(o.maxRows)}`,
          '  GROUP BY 1',
          ') c ON true',
          'ORDER BY c.chunk',
        ]
      : [
          `SELECT ${[...req.groupBy.flatMap(finalKey), ...metricColumns(withClicks, moneyDigits), 't.missing_rates'].join(',\n       ')}`,
          `FROM t${names}`,
          order.length ? `ORDER BY ${order.join(', ')}` : '',
          o.maxRows === undefined ? '' : `LIMIT ${p.bind(o.maxRows + 1)}`,
        ];
  const sql = [`WITH ${ctes.join(',\n')}`, ...select].filter(Boolean).join('\n');
  return { sql, params: p.values, withClicks, rollup: rollup?.table ?? null };
}
