// Display formatting only: every figure shown is the API's value, rounded for the eye.
const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const pct = new Intl.NumberFormat('en-US', { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 });

export type MetricKind = 'count' | 'money' | 'ratio' | 'duration';

export function formatMetric(kind: MetricKind, v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  const n = Number(v);
  if (!Number.isFinite(n)) return String(v);
  if (kind === 'count') return int.format(n);
  if (kind === 'ratio') return pct.format(n);
  if (kind === 'duration') return formatDuration(n);
  return money.format(n);
}

/** Seconds as the largest two units: `45s`, `3m 20s`, `5h 02m`, `2d 04h`. */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const pad = (x: number) => String(x).padStart(2, '0');
  if (s < 3600) return `${Math.floor(s / 60)}m ${pad(s % 60)}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${pad(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86400)}d ${pad(Math.floor((s % 86400) / 3600))}h`;
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
