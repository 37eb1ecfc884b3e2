import { minorUnits, roundToNumber, toJsonNumber } from '../../common/money';
import { Dimension } from './dimension.registry';
import { COUNT_METRICS, METRICS } from './report.metrics';
import { ReportSqlRow } from './report.repository';

/** One answer row: each grouped dimension under its name, then the metrics (SPEC §8). */
export type ReportRow = Record<string, unknown>;

export interface ReportAnswer {
  rows: ReportRow[];
  /** Currencies with no exchange rate, left out of revenue and cost. */
  missingRates: string[];
}

function dimensionValue(d: Dimension, i: number, r: ReportSqlRow): unknown {
  const v = r[`d${i}`];
  if (d.kind === 'entity') return v === null ? null : { id: v, name: (r[`d${i}_name`] as string | null) ?? null };
  if (d.kind === 'rule') {
    if (v === null || v === undefined) return null;
    const text = String(v);
    const bar = text.indexOf('|');
    return { index: Number(text.slice(0, bar)), name: text.slice(bar + 1) };
  }
  return v ?? null;
}

/**
 * Metrics that are sums of money (in the exchange-rate base), rounded as SPEC §8 says. `epc` and
 * `cpa` are ratios (per click, per conversion) and keep their precision like `roi` and `cr`.
 */
const MONEY_METRICS = new Set<(typeof METRICS)[number]>(['revenue', 'cost', 'profit']);

/**
 * Counts come back from pg as bigint strings, amounts and ratios as numeric strings. Money is
 * rounded to the base currency's minor units plus two (`615.9627` in USD), half away from zero.
 */
function metricValue(name: (typeof METRICS)[number], v: unknown, moneyDigits: number): number | null {
  if (v === null || v === undefined) return null;
  if (COUNT_METRICS.has(name)) return Number(v);
  return MONEY_METRICS.has(name) ? roundToNumber(String(v), moneyDigits) : toJsonNumber(String(v));
}

export function toReportAnswer(groupBy: Dimension[], sqlRows: ReportSqlRow[], baseCurrency = 'USD'): ReportAnswer {
  const moneyDigits = minorUnits(baseCurrency) + 2;
  const missing = new Set<string>();
  const rows = sqlRows.map((r) => {
    const row: ReportRow = {};
    groupBy.forEach((d, i) => (row[d.name] = dimensionValue(d, i, r)));
    for (const m of METRICS) row[m] = metricValue(m, r[m], moneyDigits);
    r.missing_rates?.forEach((c) => missing.add(c));
    return row;
  });
  return { rows, missingRates: [...missing].sort() };
}
