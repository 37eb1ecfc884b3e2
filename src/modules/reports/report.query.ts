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
  currency: string;
  status?: string;
  sums: string[];
  /** Conditions of the source itself, besides the request's filters. */
  where?: string[];
  /** False: one row per source row (no GROUP BY), `sums` being per-row values. */
  grouped?: boolean;
}

const JOIN_SQL: Record<Join, (click: SqlScope['click']) => string> = {
  clickOffer: (click) => `LEFT JOIN offers vo ON vo.id = ${click}.offer_id`,
};

/** One grouped SELECT: the group keys, the currency, the source's sums, the request's filters. */
function aggregate(req: ReportRequest, src: Source): string {
  const joins = new Set<Join>();
  const use = (d: Dimension) => {
    const s = src.pick(d)!;
    s.joins.forEach((j) => joins.add(j));
    return s.sql(src.scope);
  };
  const keys = req.groupBy.map((d, i) => `${use(d)} AS d${i}`);
  const where = [
    ...(src.where ?? []),
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
  const extra = [`${src.currency} AS currency`, ...(src.status ? [`${src.status} AS status`] : [])];
  const positions = [...keys, ...extra].map((_, i) => i + 1).join(', ');
  return [
    `  SELECT ${[...keys, ...extra, ...src.sums].join(',\n         ')}`,
    ...src.from([...joins].sort()).map((l) => `  ${l}`),
    where.length ? `  WHERE ${where.join('\n    AND ')}` : '',
    src.grouped === false ? '' : `  GROUP BY ${positions}`,
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

function conversionFacts(p: Params, req: ReportRequest): Source {
  const clock = req.conversionTime === 'visit' ? 'f.visit_created_at' : 'f.created_at';
  return {
    scope: { bind: p.bind, click: 'v', label: 'rr' },
    pick: (d) => d.conversion,
    from: (joins) => ['FROM pieces rr', `JOIN conversion_facts f ON ${clock} >= rr.s AND ${clock} < rr.e`, ...joins.map((j) => JOIN_SQL[j]('v'))],
    currency: 'f.currency',
    // Grouped by status too: two plain aggregates a row, split into the status counts per group later.
    status: 'f.status',
    sums: ['count(*) AS n', 'sum(f.payout) AS payout'],
  };
}

/**
 * One row per attributed conversion (not declined) with its click-to-conversion time in seconds,
 * for the median (`timeToConvert`, SPEC §8): a median does not add up across groups, so it is
 * taken from these rows per final group (`medians`), and only the medians are stacked under the
 * totals (one row per group, not one per conversion: the stacked rows are sorted and grouped
 * again, and 63,000 wide rows cost more there than the median itself).
 */
function conversionTimes(p: Params, req: ReportRequest): Source {
  return {
    ...conversionFacts(p, req),
    currency: 'NULL::text',
    status: undefined,
    sums: ['extract(epoch FROM f.created_at - f.visit_created_at) AS ttc'],
    where: ['f.visit_created_at IS NOT NULL', "f.status <> 'declined'"],
    grouped: false,
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
  const ctes = [`pieces (s, e, label) AS (\n  SELECT * FROM ${ranges(p, plan.pieces)}\n)`];
  const stacked: string[] = [];
  let rollup: RollupFamily | null = null;
  if (withClicks) {
    rollup = pickRollup([...req.groupBy, ...req.filters.map((f) => f.dimension)]);
    const parts = rollup
      ? [aggregate(req, rollupClicks(p, rollup, plan)), ...(plan.rawEdges.length ? [aggregate(req, rawClicks(p, ranges(p, plan.rawEdges)))] : [])]
      : [aggregate(req, rawClicks(p, 'pieces'))];
    ctes.push(`click_totals AS (\n${parts.join('\n  UNION ALL\n')}\n)`);
    stacked.push(
      `  SELECT ${keyList}currency, clicks, unique_clicks, bot_clicks, lander_visits, lander_clicks, cost, 0 AS conversions, 0 AS approved, 0 AS pending, 0 AS declined, 0 AS revenue, NULL::numeric AS ttc FROM click_totals`,
    );
  }
  ctes.push(`conversion_totals AS (\n${aggregate(req, conversionFacts(p, req))}\n)`);
  stacked.push(
    `  SELECT ${keyList}currency, 0 AS clicks, 0 AS unique_clicks, 0 AS bot_clicks, 0 AS lander_visits, 0 AS lander_clicks, 0 AS cost,
         CASE WHEN status <> 'declined' THEN n ELSE 0 END AS conversions, CASE WHEN status = 'approved' THEN n ELSE 0 END AS approved,
         CASE WHEN status = 'pending' THEN n ELSE 0 END AS pending, CASE WHEN status = 'declined' THEN n ELSE 0 END AS declined,
         CASE WHEN status <> 'declined' THEN payout ELSE 0 END AS revenue, NULL::numeric AS ttc
  FROM conversion_totals`,
  );
  ctes.push(`conversion_times AS (\n${aggregate(req, conversionTimes(p, req))}\n)`);
  const keys = req.groupBy.map((d, i) => (d.kind === 'time' ? `date_trunc('${d.grain}', m.d${i})` : `m.d${i}`));
  ctes.push(`medians AS (
  SELECT ${[...keys.map((k, i) => `${k} AS d${i}`), 'percentile_cont(0.5) WITHIN GROUP (ORDER BY m.ttc) AS ttc'].join(', ')}
  FROM conversion_times m${keys.length ? `\n  GROUP BY ${keys.join(', ')}` : ''}
)`);
  stacked.push(
    `  SELECT ${keyList}NULL::text AS currency, 0 AS clicks, 0 AS unique_clicks, 0 AS bot_clicks, 0 AS lander_visits, 0 AS lander_clicks, 0 AS cost,
         0 AS conversions, 0 AS approved, 0 AS pending, 0 AS declined, 0 AS revenue, ttc
  FROM medians`,
  );
  ctes.push(`merged AS (\n${stacked.join('\n  UNION ALL\n')}\n)`);
  ctes.push(
    `rates (currency, rate) AS (\n  SELECT * FROM unnest(${p.bind(Object.keys(rates.rates))}::text[], ${p.bind(Object.values(rates.rates))}::numeric[])\n)`,
  );
  const base = p.bind(rates.base);
  const inBase = (col: string) => `coalesce(sum(CASE WHEN m.currency = ${base} THEN m.${col} ELSE m.${col} / r.rate END), 0) AS ${col}`;
  ctes.push(`t AS (
  SELECT ${[
    ...keys.map((k, i) => (k === `m.d${i}` ? k : `${k} AS d${i}`)),
    ...COUNTS.map((c) => `coalesce(sum(m.${c}), 0)::bigint AS ${c}`),
    inBase('cost'),
    inBase('revenue'),
    // One stacked row per group carries its median (the medians CTE); the others have none.
    'max(m.ttc) AS ttc_median',
    `array_agg(DISTINCT m.currency) FILTER (WHERE m.currency <> ${base} AND r.rate IS NULL AND (m.cost <> 0 OR m.revenue <> 0)) AS missing_rates`,
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
