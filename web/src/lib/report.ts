import type { MetricKind } from './format';

/** A report row as `GET /api/v1/reports` answers it (SPEC §8). */
export type ReportRow = Record<string, unknown>;
export interface ReportAnswer {
  rows: ReportRow[];
  missingRates?: string[];
}

export const METRIC_COLUMNS: { id: string; label: string; kind: MetricKind; signed?: boolean }[] = [
  { id: 'clicks', label: 'Clicks', kind: 'count' },
  { id: 'uniqueClicks', label: 'Unique', kind: 'count' },
  { id: 'conversions', label: 'Conversions', kind: 'count' },
  { id: 'cr', label: 'CR', kind: 'ratio' },
  { id: 'revenue', label: 'Revenue', kind: 'money' },
  { id: 'cost', label: 'Cost', kind: 'money' },
  { id: 'profit', label: 'Profit', kind: 'money', signed: true },
  { id: 'roi', label: 'ROI', kind: 'ratio', signed: true },
  { id: 'epc', label: 'EPC', kind: 'money' },
  { id: 'cpa', label: 'CPA', kind: 'money' },
  { id: 'landerClicks', label: 'LP clicks', kind: 'count' },
  { id: 'landerCtr', label: 'LP CTR', kind: 'ratio' },
  { id: 'timeToConvert', label: 'Time to convert', kind: 'duration' },
];

export const DIMENSIONS: { id: string; label: string; kind: 'entity' | 'text' | 'boolean' | 'time' }[] = [
  { id: 'campaign', label: 'Campaign', kind: 'entity' },
  { id: 'offer', label: 'Offer', kind: 'entity' },
  { id: 'offerLink', label: 'Offer link', kind: 'entity' },
  { id: 'landingPage', label: 'Lander', kind: 'entity' },
  { id: 'trafficSource', label: 'Traffic source', kind: 'entity' },
  { id: 'affiliateNetwork', label: 'Network', kind: 'entity' },
  { id: 'country', label: 'Country', kind: 'text' },
  { id: 'region', label: 'Region', kind: 'text' },
  { id: 'city', label: 'City', kind: 'text' },
  { id: 'device', label: 'Device', kind: 'text' },
  { id: 'os', label: 'OS', kind: 'text' },
  { id: 'browser', label: 'Browser', kind: 'text' },
  { id: 'mobile', label: 'Mobile', kind: 'boolean' },
  { id: 'bot', label: 'Bot', kind: 'boolean' },
  { id: 'rule', label: 'Rule', kind: 'text' },
  { id: 'day', label: 'Day', kind: 'time' },
  { id: 'hour', label: 'Hour', kind: 'time' },
];

export function dimensionLabel(id: string): string {
  return DIMENSIONS.find((d) => d.id === id)?.label ?? id;
}

/** What a row shows for a dimension value: an entity's name, else the value, as text. */
export function valueLabel(v: unknown): string {
  if (v === null || v === undefined || v === '') return '(none)';
  if (typeof v === 'object') {
    const o = v as { id?: unknown; name?: unknown; index?: unknown };
    if (o.name !== undefined && o.name !== null) return String(o.name);
    if (o.id !== undefined && o.id !== null) return String(o.id);
    if (o.index !== undefined) return `#${String(o.index)}`;
    return JSON.stringify(v);
  }
  return String(v);
}

/** The filter value that selects a row's dimension value, or null when it cannot be filtered on. */
export function filterValue(dimension: string, v: unknown): string | null {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'object') {
    const o = v as { id?: unknown; index?: unknown; name?: unknown };
    if (o.id !== undefined && o.id !== null) return String(o.id);
    if (o.name !== undefined && o.name !== null) return String(o.name);
    return null;
  }
  if (dimension === 'hour') {
    const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):/.exec(String(v));
    return m ? `${m[1]}T${m[2]}:00` : String(v);
  }
  if (dimension === 'day' || dimension === 'week') return String(v).slice(0, 10);
  return String(v);
}

/** One level of a drill-down: the rows were grouped by `dimension` and the user opened `value`. */
export interface DrillStep {
  dimension: string;
  value: string;
  label: string;
}

export const MAX_DRILL_DEPTH = 3;

/** The report query for a view: its range, zone, grouping and every drill step as a filter. */
export function reportQuery(range: { from: string; to: string }, tz: string, groupBy: string | null, path: DrillStep[]): Record<string, string> {
  const q: Record<string, string> = { from: range.from, to: range.to, tz };
  if (groupBy) q.groupBy = groupBy;
  for (const s of path) q[s.dimension] = s.value;
  return q;
}
