// Display formatting only: every figure shown is the API's value, rounded for the eye.
const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const pct = new Intl.NumberFormat('en-US', { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 });

export type MetricKind = 'count' | 'money' | 'ratio';

export function formatMetric(kind: MetricKind, v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  const n = Number(v);
  if (!Number.isFinite(n)) return String(v);
  if (kind === 'count') return int.format(n);
  if (kind === 'ratio') return pct.format(n);
  return money.format(n);
}

export function signClass(v: unknown): string | undefined {
  const n = Number(v);
  if (v === null || v === undefined || !Number.isFinite(n) || n === 0) return undefined;
  return n > 0 ? 'pos' : 'neg';
}

export function formatTime(iso: unknown, tz?: string): string {
  if (typeof iso !== 'string') return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString('en-GB', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}
