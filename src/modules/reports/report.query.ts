import type { ExchangeRates } from '../exchange-rates/exchange-rates.service';
import type { BucketPlan, Piece } from './bucket.planner';
import { Dimension, Join, Side, SqlScope, TimeGrain } from './dimension.registry';
import { metricColumns } from './report.metrics';
import { ReportRequest } from './report.request';
import { pickRollup, RollupFamily } from './rollup.registry';

/** One parameterised SQL statement: the whole report (SPEC §8: one query per request). */
export interface CompiledReport {
  sql: string;
  params: unknown[];
  /** False when grouped by a conversion-only dimension: the click metrics are null. */
  withClicks: boolean;
  /** The rollup the click side reads, or null for raw visits. */
  rollup: string | null;
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
  /** FROM and JOIN lines, given the extra joins the dimensions need. */
  from: (joins: Join[]) => string[];
  /** Grouped by currency too (amounts are summed as they are); none: the sums convert them. */
  currency?: string;
  sums: string[];
  /** Time dimensions grouped by their bucket (`date_trunc`) rather than by piece. */
  buckets?: boolean;
}

const JOIN_SQL: Record<Join, (click: SqlScope['click']) => string> = {
  clickOffer: (click) => `LEFT JOIN offers vo ON vo.id = ${click}.offer_id`,
};

/** An amount in the exchange-rate base: as it is in the base currency, else divided by its rate (null without one). */
const inBase = (base: string, amount: string, currency: string, rate: string) => `CASE WHEN ${currency} = ${base} THEN ${amount} ELSE ${amount} / ${rate} END`;

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
  const where = [
    ...req.filters
      // A conversion-only filter (status, conversionType) narrows the conversions, not the clicks.
      .filter((f) => src.pick(f.dimension) !== null)
      .map((f) => {
        const d = f.dimension;
        const expr = d.kind === 'time' ? `date_trunc('${d.grain}', ${use(d)})` : d.kind === 'rule' ? `split_part(${use(d)}, '|', 1)::integer` : use(d);
        const type = VALUE_TYPE[d.kind];
        return f.values.length === 1 ? `${expr} = ${src.scope.bind(f.values[0])}::${type}` : `${expr} = ANY(${src.scope.bind(f.values)}::${type}[])`;
      }),
  ];
  const extra = src.currency ? [`${src.currency} AS currency`] : [];
  const positions = [...keys, ...extra].map((_, i) => i + 1).join(', ');
  return [
    `  SELECT ${[...keys, ...extra, ...src.sums].join(',\n         ')}`,
    ...src.from([...joins].sort()).map((l) => `  ${l}`),
    where.length ? `  WHERE ${where.join('\n    AND ')}` : '',
    positions ? `  GROUP BY ${positions}` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

function ranges(p: Params, pieces: Piece[]): string {
  return `unnest(${p.bind(pieces.map((x) => x.start.toISOString()))}::timestamptz[], ${p.bind(pieces.map((x) => x.end.toISOString()))}::timestamptz[], ${p.bind(pieces.map((x) => x.label))}::timestamp[])`;
}

const RAW_CLICK_SUMS = [
  'count(*) AS clicks',
  'count(*) FILTER (WHERE v.is_unique) AS unique_clicks',
  'count(*) FILTER (WHERE v.bot) AS bot_clicks',
  'count(*) FILTER (WHERE v.landing_page_id IS NOT NULL) AS lander_visits',
  'count(*) FILTER (WHERE v.lp_clicked_at IS NOT NULL) AS lander_clicks',
  'sum(v.cost) AS cost',
];

function rawClicks(p: Params, rangesSql: string): Source {
  return {
    scope: { bind: p.bind, click: 'v', label: 'rr' },
    pick: (d) => d.click,
    from: (joins) => [
      `FROM ${rangesSql} AS rr (s, e, label)`,
      'JOIN visits v ON v.created_at >= rr.s AND v.created_at < rr.e',
      ...joins.map((j) => JOIN_SQL[j]('v')),
    ],
    currency: 'v.cost_currency',
    sums: RAW_CLICK_SUMS,
  };
}

function rollupClicks(p: Params, family: RollupFamily, plan: BucketPlan): Source {
  const s = plan.segments;
  const segments = `unnest(${p.bind(s.map((x) => x.grain))}::smallint[], ${p.bind(s.map((x) => x.start.toISOString()))}::timestamptz[], ${p.bind(s.map((x) => x.end.toISOString()))}::timestamptz[], ${p.bind(s.map((x) => x.label))}::timestamp[])`;
  return {
    scope: { bind: p.bind, click: 'r', label: 'seg' },
    pick: (d) => d.click,
    from: (joins) => [
      `FROM ${segments} AS seg (grain, s, e, label)`,
      // LATERAL ... OFFSET 0: one index range scan per segment; the planner cannot see into the
      // arrays, and left to itself it scans the whole rollup and filters the ranges.
      `CROSS JOIN LATERAL (SELECT * FROM ${family.table} x WHERE x.grain = seg.grain AND x.bucket >= seg.s AND x.bucket < seg.e OFFSET 0) r`,
      ...joins.map((j) => JOIN_SQL[j]('r')),
    ],
    currency: 'r.cost_currency',
    sums: [
      'sum(r.clicks) AS clicks',
      'sum(r.unique_clicks) AS unique_clicks',
      'sum(r.bot_clicks) AS bot_clicks',
      'sum(r.lander_visits) AS lander_visits',
      'sum(r.lander_clicks) AS lander_clicks',
      'sum(r.cost) AS cost',
    ],
  };
}

/**
 * The conversions of each final group in one pass (grouped by bucket, not by piece): the status
 * counts, revenue converted into the base (a currency with no rate is left out of it and listed in
 * `unrated`), and the median click-to-conversion time in seconds of the attributed ones not
 * declined (`timeToConvert`, SPEC §8: a median does not add up across pieces or currencies, so it
 * is taken here, per final group). One row per group is stacked under the click totals.
 */
function conversionTotals(p: Params, req: ReportRequest, base: string): Source {
  const clock = req.conversionTime === 'visit' ? 'f.visit_created_at' : 'f.created_at';
  const counted = "f.status <> 'declined'";
  return {
    scope: { bind: p.bind, click: 'v', label: 'rr' },
    pick: (d) => d.conversion,
    from: (joins) => [
      'FROM pieces rr',
      `JOIN conversion_facts f ON ${clock} >= rr.s AND ${clock} < rr.e`,
      'LEFT JOIN rates fr ON fr.currency = f.currency',
      ...joins.map((j) => JOIN_SQL[j]('v')),
    ],
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

/**
 * Compiles a report over a planned window. Clicks come from the smallest rollup holding every
 * dimension in use (plus raw visits for the edges no rollup bucket covers), else from raw visits;
 * conversions from conversion_facts (which copy their visit's attributes and slots). The two
 * sides are stacked with UNION ALL and grouped again (GROUP BY treats NULL keys as equal, which a
 * FULL JOIN on nullable keys cannot do: PostgreSQL refuses IS NOT DISTINCT FROM there), amounts
 * are converted into the base with the rates bound as arrays, and entity names joined last.
 */
export function compileReport(req: ReportRequest, rates: ExchangeRates, plan: BucketPlan): CompiledReport {
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
    rollup = pickRollup([...req.groupBy, ...req.filters.map((f) => f.dimension)]);
    const parts = rollup
      ? [aggregate(req, rollupClicks(p, rollup, plan)), ...(plan.rawEdges.length ? [aggregate(req, rawClicks(p, ranges(p, plan.rawEdges)))] : [])]
      : [aggregate(req, rawClicks(p, 'pieces'))];
    ctes.push(`click_totals AS (\n${parts.join('\n  UNION ALL\n')}\n)`);
    stacked.push(
      `  SELECT ${keyList}currency, clicks, unique_clicks, bot_clicks, lander_visits, lander_clicks, cost, 0 AS conversions, 0 AS approved, 0 AS pending, 0 AS declined, 0 AS revenue, NULL::float8 AS ttc FROM click_totals`,
    );
    missing.push(
      `  SELECT c.currency FROM click_totals c LEFT JOIN rates r ON r.currency = c.currency WHERE ${rateless(base, 'c.currency', 'r.rate')} AND c.cost <> 0`,
    );
  }
  ctes.push(`conversion_totals AS (\n${aggregate(req, conversionTotals(p, req, base))}\n)`);
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
  const sql = [
    `WITH ${ctes.join(',\n')}`,
    `SELECT ${[...req.groupBy.flatMap(finalKey), ...metricColumns(withClicks), 't.missing_rates'].join(',\n       ')}`,
    `FROM t${names}`,
    order.length ? `ORDER BY ${order.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('\n');
  return { sql, params: p.values, withClicks, rollup: rollup?.table ?? null };
}
