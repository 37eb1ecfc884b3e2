// Dates in a chosen IANA zone without a date library: the report API takes wall-clock dates with
// `tz` and does the zone arithmetic itself; the browser only needs "today" in the zone and, for
// the lists that take instants, a wall-clock midnight as an instant.

export function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function allZones(): string[] {
  const list = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return list.includes('UTC') ? list : ['UTC', ...list];
}

function parts(tz: string, at: Date): Record<string, number> {
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const out: Record<string, number> = {};
  for (const p of f.formatToParts(at)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return out;
}

/** `YYYY-MM-DD` of `at` in `tz`. */
export function dateIn(tz: string, at: Date = new Date()): string {
  const p = parts(tz, at);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

export function addDays(date: string, n: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + n * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The instant at which the wall clock in `tz` reads `date` 00:00. */
export function midnightIn(date: string, tz: string): Date {
  const wall = Date.parse(`${date}T00:00:00Z`);
  const offset = (t: number) => {
    const p = parts(tz, new Date(t));
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(t / 1000) * 1000;
  };
  let t = wall - offset(wall);
  t = wall - offset(t);
  return new Date(t);
}

export type Preset = 'today' | 'yesterday' | 'last7' | 'last30' | 'thisMonth' | 'custom';
export const PRESETS: { id: Preset; label: string }[] = [
  { id: 'today', label: 'Today' },
  { id: 'yesterday', label: 'Yesterday' },
  { id: 'last7', label: 'Last 7 days' },
  { id: 'last30', label: 'Last 30 days' },
  { id: 'thisMonth', label: 'This month' },
  { id: 'custom', label: 'Custom' },
];

/** A range of local dates: `from` inclusive, `to` exclusive (both `YYYY-MM-DD` in the zone). */
export interface DateRange {
  from: string;
  to: string;
}

export function presetRange(preset: Exclude<Preset, 'custom'>, tz: string, now: Date = new Date()): DateRange {
  const today = dateIn(tz, now);
  const tomorrow = addDays(today, 1);
  switch (preset) {
    case 'today':
      return { from: today, to: tomorrow };
    case 'yesterday':
      return { from: addDays(today, -1), to: today };
    case 'last7':
      return { from: addDays(today, -6), to: tomorrow };
    case 'last30':
      return { from: addDays(today, -29), to: tomorrow };
    case 'thisMonth':
      return { from: `${today.slice(0, 8)}01`, to: tomorrow };
  }
}

/** Hourly points for ranges up to three days, daily beyond. */
export function chartGrain(range: DateRange): 'hour' | 'day' {
  return daysBetween(range.from, range.to) <= 3 ? 'hour' : 'day';
}

/** A report time value (`2024-03-11`, `2024-03-11T05:00`, `2024-03-11 05:00:00`) as seconds, the wall clock read as UTC. */
export function wallSeconds(value: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?/.exec(value);
  if (!m) return NaN;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0)) / 1000;
}
