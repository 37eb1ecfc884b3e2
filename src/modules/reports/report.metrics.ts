/**
 * The metrics of a report row (SPEC §8), in answer order, as fixed SQL over the grouped totals
 * `t` (clicks, unique_clicks, bot_clicks, lander_visits, lander_clicks, cost, conversions, approved, pending, declined, revenue;
 * amounts already in the exchange-rate base). Ratios divide by NULLIF(…, 0) so they come out null.
 */

/**
 * Zero with 30 decimals. Added to a dividend (a sum takes the larger scale), it makes numeric
 * division keep at least 30 decimals, where it otherwise keeps about 16 significant digits: 10.40
 * / 9 came out 1.1555555555555556, whose nearest double (…557) is one unit in the last place off
 * the double nearest the exact quotient (…554), as for about 3 % of such pairs. With 30 decimals
 * the quotient's own rounding is far below a double's (issue 14).
 */
export const EXACT_SCALE = '0.000000000000000000000000000000';
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
  // Money over money or counts: numeric, the dividend given EXACT_SCALE's decimals.
  roi: `(t.revenue - t.cost + ${EXACT_SCALE}) / NULLIF(t.cost, 0)`,
  // Two counts (exact as doubles): the double division is the double nearest the exact quotient.
  cr: 't.conversions::float8 / NULLIF(t.clicks, 0)::float8',
  epc: `(t.revenue + ${EXACT_SCALE}) / NULLIF(t.clicks, 0)`,
  cpa: `(t.cost + ${EXACT_SCALE}) / NULLIF(t.conversions, 0)`,
  // Of the visits sent to a lander, those that went on through /lp/click (null: none went to a lander).
  landerClicks: 't.lander_clicks',
  landerCtr: 't.lander_clicks::float8 / NULLIF(t.lander_visits, 0)::float8',
  // Median seconds from click to conversion, over the group's attributed conversions not declined.
  timeToConvert: 't.ttc_median',
};

/** Sums of money in the exchange-rate base (SPEC §8: rounded to its minor units plus two, half away from zero). */
const MONEY_METRICS = new Set<MetricName>(['revenue', 'cost', 'profit']);

/** Ratios of numerics (money per click, per conversion, per cost): sent as the nearest double. `cr` and `landerCtr` divide as doubles already. */
const RATIO_METRICS = new Set<MetricName>(['roi', 'epc', 'cpa']);

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
