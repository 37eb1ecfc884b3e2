import { Dimension } from './dimension.registry';
import { METRICS } from './report.metrics';
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
 * Counts come back from pg as bigint strings; money (already rounded) and ratios as doubles
 * (report.metrics.ts), the median as a double.
 */
function metricValue(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'number' ? v : Number(v);
}

export function toReportAnswer(groupBy: Dimension[], sqlRows: ReportSqlRow[]): ReportAnswer {
  const missing = new Set<string>();
  const rows = sqlRows.map((r) => {
    const row: ReportRow = {};
    groupBy.forEach((d, i) => (row[d.name] = dimensionValue(d, i, r)));
    for (const m of METRICS) row[m] = metricValue(r[m]);
    r.missing_rates?.forEach((c) => missing.add(c));
    return row;
  });
  return { rows, missingRates: [...missing].sort() };
}
