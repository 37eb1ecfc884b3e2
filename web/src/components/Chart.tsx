import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { wallSeconds } from '../lib/time';
import type { ReportRow } from '../lib/report';

/** Every bucket of the range, so hours or days without traffic show as zero rather than a gap. */
export function buckets(from: string, to: string, grain: 'hour' | 'day'): number[] {
  const step = grain === 'hour' ? 3600 : 86400;
  const out: number[] = [];
  for (let t = wallSeconds(from); t < wallSeconds(to); t += step) out.push(t);
  return out;
}

/** Points per series from the API's rows grouped by `grain` (values are wall-clock times in the zone). */
export function series(rows: ReportRow[], grain: 'hour' | 'day', xs: number[]) {
  const at = new Map<number, ReportRow>();
  for (const r of rows) at.set(wallSeconds(String(r[grain])), r);
  const pick = (k: string) => xs.map((x) => (at.has(x) ? Number(at.get(x)![k] ?? 0) : 0));
  return { clicks: pick('clicks'), conversions: pick('conversions'), revenue: pick('revenue'), profit: pick('profit') };
}

/**
 * Clicks, conversions, revenue and profit over the range with uPlot (canvas). Times on the axis are
 * the zone's wall clock: the API labels buckets in the chosen zone and the axis reads them as UTC.
 */
export function Chart({ rows, grain, from, to, label }: { rows: ReportRow[]; grain: 'hour' | 'day'; from: string; to: string; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const xs = buckets(from, to, grain);
    const s = series(rows, grain, xs);
    const width = Math.max(320, el.clientWidth || 900);
    const plot = new uPlot(
      {
        width,
        height: 260,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
        scales: { x: { time: true }, money: {} },
        axes: [{}, { label: 'count', scale: 'y' }, { label: 'money', scale: 'money', side: 1, grid: { show: false } }],
        series: [
          {},
          { label: 'Clicks', stroke: '#0550ae', width: 2, scale: 'y' },
          { label: 'Conversions', stroke: '#8250df', width: 2, scale: 'y' },
          { label: 'Revenue', stroke: '#1a7f37', width: 2, scale: 'money' },
          { label: 'Profit', stroke: '#bc4c00', width: 2, dash: [6, 4], scale: 'money' },
        ],
      },
      [xs, s.clicks, s.conversions, s.revenue, s.profit],
      el,
    );
    return () => plot.destroy();
  }, [rows, grain, from, to]);
  return (
    <figure className="chart">
      <figcaption>{label}</figcaption>
      <div ref={ref} role="img" aria-label={`${label}: clicks, conversions, revenue and profit by ${grain}`} />
    </figure>
  );
}
