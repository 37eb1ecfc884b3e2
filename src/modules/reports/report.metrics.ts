/**
 * The metrics of a report row (SPEC §8), in answer order, as fixed SQL over the grouped totals
 * `t` (clicks, unique_clicks, bot_clicks, lander_visits, lander_clicks, cost, conversions, approved, pending, declined, revenue;
 * amounts already in the exchange-rate base). Ratios divide by NULLIF(…, 0) so they come out null.
 */
export const METRICS = [
  'clicks',
  'uniqueClicks',
  'botClicks',
  'conversions',
  'approved',
  'pending',
  'declined',
  'revenue',
  'cost',
  'profit',
  'roi',
  'cr',
  'epc',
  'cpa',
  'landerClicks',
  'landerCtr',
  'timeToConvert',
] as const;

export type MetricName = (typeof METRICS)[number];

/** Metrics that need clicks: null in a report grouped by a conversion-only dimension. */
const CLICK_METRICS = new Set<MetricName>(['clicks', 'uniqueClicks', 'botClicks', 'cost', 'profit', 'roi', 'cr', 'epc', 'cpa', 'landerClicks', 'landerCtr']);

const SQL: Record<MetricName, string> = {
  clicks: 't.clicks',
  uniqueClicks: 't.unique_clicks',
  botClicks: 't.bot_clicks',
  conversions: 't.conversions',
  approved: 't.approved',
  pending: 't.pending',
  declined: 't.declined',
  revenue: 't.revenue',
  cost: 't.cost',
  profit: 't.revenue - t.cost',
  roi: '(t.revenue - t.cost) / NULLIF(t.cost, 0)',
  cr: 't.conversions::numeric / NULLIF(t.clicks, 0)',
  epc: 't.revenue / NULLIF(t.clicks, 0)',
  cpa: 't.cost / NULLIF(t.conversions, 0)',
  // Of the visits sent to a lander, those that went on through /lp/click (null: none went to a lander).
  landerClicks: 't.lander_clicks',
  landerCtr: 't.lander_clicks::numeric / NULLIF(t.lander_visits, 0)',
  // Median seconds from click to conversion, over the group's attributed conversions not declined.
  timeToConvert: 't.ttc_median',
};

/** Sums of money in the exchange-rate base (SPEC §8: rounded to its minor units plus two, half away from zero). */
const MONEY_METRICS = new Set<MetricName>(['revenue', 'cost', 'profit']);

/** Ratios of numerics (per click, per conversion, per cost): kept to a double's precision. */
const RATIO_METRICS = new Set<MetricName>(['roi', 'cr', 'epc', 'cpa', 'landerCtr']);

/**
 * The SELECT list of the metrics, each aliased by its answer name. Money is rounded in SQL
 * (`round` of a numeric is half away from zero) and sent, like the ratios, as a double: the
 * nearest double to the numeric, which is what the tracker made of the numeric's text before, in
 * shorter text (a ratio's numeric has 20 decimals; issue 14: `offer,hour` over 30 days returns
 * 28,840 rows). Counts stay bigint.
 */
export function metricColumns(withClicks: boolean, moneyDigits: number): string[] {
  return metricExpressions(withClicks, moneyDigits).map(([m, sql]) => `${sql} AS "${m}"`);
}

/** Each metric with its SQL over `t` (null when it needs clicks and there are none), in answer order. */
export function metricExpressions(withClicks: boolean, moneyDigits: number): [MetricName, string][] {
  return METRICS.map((m) => {
    if (!withClicks && CLICK_METRICS.has(m)) return [m, 'NULL'];
    if (MONEY_METRICS.has(m)) return [m, `round(${SQL[m]}, ${moneyDigits})::float8`];
    return [m, RATIO_METRICS.has(m) ? `(${SQL[m]})::float8` : SQL[m]];
  });
}
