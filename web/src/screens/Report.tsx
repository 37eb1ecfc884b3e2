import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { api } from '../api/client';
import { Chart } from '../components/Chart';
import { ErrorNote } from '../components/ErrorNote';
import { ReportTable } from '../components/ReportTable';
import { DIMENSIONS, dimensionLabel, MAX_DRILL_DEPTH, reportQuery, type DrillStep, type ReportAnswer } from '../lib/report';
import { allZones, browserZone, chartGrain, presetRange, PRESETS, type DateRange, type Preset } from '../lib/time';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface TrafficSource {
  id: string;
  params?: { param: string; as: string }[];
}

/** Remapped slots named by the traffic sources: each is a report dimension too. */
function useSlots(): string[] {
  const q = useQuery({ queryKey: ['traffic-sources', 'slots'], queryFn: () => api.get<Page<TrafficSource>>('/api/v1/traffic-sources', { limit: 1000 }) });
  return useMemo(() => [...new Set((q.data?.items ?? []).flatMap((s) => (s.params ?? []).map((p) => p.as)))].sort(), [q.data]);
}

/** Saves text as a file through a blob link (no navigation, no third party). */
export function download(name: string, text: string, type = 'text/csv') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The landing screen: the campaign report for a range and zone, with drill-down, totals, CSV and a chart. */
export function ReportScreen() {
  const [tz, setTz] = useState(browserZone);
  const [preset, setPreset] = useState<Preset>('last7');
  const [custom, setCustom] = useState<DateRange>(() => presetRange('last7', browserZone()));
  const range: DateRange = preset === 'custom' ? custom : presetRange(preset, tz);
  const [path, setPath] = useState<DrillStep[]>([]);
  const [groupBy, setGroupBy] = useState('campaign');
  const [nextBy, setNextBy] = useState('offer');
  const slots = useSlots();
  const zones = useMemo(allZones, []);
  const validRange = range.from < range.to;

  const query = reportQuery(range, tz, groupBy, path);
  const rows = useQuery({ queryKey: ['report', query], queryFn: () => api.get<ReportAnswer>('/api/v1/reports', query), enabled: validRange });
  const totalsQuery = reportQuery(range, tz, null, path);
  const totals = useQuery({ queryKey: ['report', totalsQuery], queryFn: () => api.get<ReportAnswer>('/api/v1/reports', totalsQuery), enabled: validRange });
  const grain = chartGrain(range);
  const chartQuery = reportQuery(range, tz, grain, path);
  const chart = useQuery({ queryKey: ['report', chartQuery], queryFn: () => api.get<ReportAnswer>('/api/v1/reports', chartQuery), enabled: validRange });

  const used = new Set([...path.map((s) => s.dimension), groupBy]);
  const choices = [
    ...DIMENSIONS.filter((d) => d.id !== 'campaign').map((d) => ({ id: d.id, label: d.label })),
    ...slots.map((s) => ({ id: s, label: `Slot: ${s}` })),
  ].filter((d) => !used.has(d.id));
  const drillBy = choices.some((c) => c.id === nextBy) ? nextBy : choices[0]?.id;
  const canDrill = path.length < MAX_DRILL_DEPTH && drillBy !== undefined;

  const onDrill = (value: string, label: string) => {
    if (!drillBy) return;
    setPath([...path, { dimension: groupBy, value, label }]);
    setGroupBy(drillBy);
  };
  const backTo = (depth: number) => {
    setGroupBy(depth === 0 ? 'campaign' : path[depth].dimension);
    setPath(path.slice(0, depth));
  };

  const csv = async () => {
    const text = await api.getText('/api/v1/reports', { ...query, format: 'csv' });
    download(`report-${[groupBy, ...path.map((s) => s.dimension)].join('-')}-${range.from}-${range.to}.csv`, text);
  };

  return (
    <section aria-labelledby="report-title">
      <h1 id="report-title">Campaign report</h1>
      <div className="toolbar">
        <label>
          Date range
          <select value={preset} onChange={(e) => setPreset(e.target.value as Preset)}>
            {PRESETS.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
        {preset === 'custom' && (
          <>
            <label>
              From
              <input type="date" value={custom.from} onChange={(e) => setCustom({ ...custom, from: e.target.value })} />
            </label>
            <label>
              To (inclusive)
              <input type="date" value={addDay(custom.to, -1)} onChange={(e) => setCustom({ ...custom, to: addDay(e.target.value, 1) })} />
            </label>
          </>
        )}
        <label>
          Time zone
          <select value={tz} onChange={(e) => setTz(e.target.value)}>
            {zones.map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </select>
        </label>
        <label>
          Drill down by
          <select value={drillBy ?? ''} onChange={(e) => setNextBy(e.target.value)} disabled={!canDrill}>
            {choices.map((c) => (
              <option key={c.id} value={c.id}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => void csv()}>
          Download CSV
        </button>
      </div>
      {!validRange && <p role="alert">The range must end after it starts.</p>}
      <nav aria-label="Drill-down" className="breadcrumb">
        <ol>
          <li>
            {path.length ? (
              <button type="button" className="link" onClick={() => backTo(0)}>
                All campaigns
              </button>
            ) : (
              <span aria-current="page">All campaigns</span>
            )}
          </li>
          {path.map((s, i) => (
            <li key={i}>
              {i < path.length - 1 ? (
                <button type="button" className="link" onClick={() => backTo(i + 1)}>
                  {dimensionLabel(s.dimension)}: {s.label}
                </button>
              ) : (
                <span aria-current="page">
                  {dimensionLabel(s.dimension)}: {s.label}
                </span>
              )}
            </li>
          ))}
        </ol>
      </nav>
      {rows.error && <ErrorNote error={rows.error} />}
      {rows.data?.missingRates?.length ? <p className="warn">No exchange rate for {rows.data.missingRates.join(', ')}: left out of revenue.</p> : null}
      {rows.isLoading ? (
        <p className="loading">Loading…</p>
      ) : (
        <ReportTable
          groupBy={groupBy}
          rows={rows.data?.rows ?? []}
          totals={totals.data?.rows[0] ?? null}
          onDrill={canDrill ? onDrill : undefined}
          caption={`By ${dimensionLabel(groupBy).toLowerCase()}, ${range.from} to ${addDay(range.to, -1)}, ${tz}`}
        />
      )}
      {chart.data && <Chart rows={chart.data.rows} grain={grain} from={range.from} to={range.to} label={`By ${grain}, ${tz}`} />}
    </section>
  );
}

function addDay(date: string, n: number): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return date;
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}
