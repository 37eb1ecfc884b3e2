import { existsSync, readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, release, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { formatNumber } from './report';
import type { LoadFigures, RunFigures, ScenarioResult } from './scenario';

/**
 * The results file of `npm run bench`: bench/results/<YYYY-MM-DD>.md (kept in git) and the same
 * run as JSON next to it (ignored by git), for comparing runs.
 */
export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  os: string;
}

export interface Versions {
  node: string;
  postgres: string;
  /** Package name to installed version ('-' when missing). */
  packages: Record<string, string>;
}

export interface RunReport {
  /** ISO time the run started. */
  startedAt: string;
  wallSeconds: number;
  command: string;
  /** host:port of the PostgreSQL server the scenarios used. */
  database: string;
  machine: Machine;
  versions: Versions;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  results: ScenarioResult[];
}

export const KEY_PACKAGES = ['@nestjs/core', '@nestjs/platform-fastify', 'fastify', 'typeorm', 'pg', '@electric-sql/pglite', 'autocannon'];

const ROOT = join(__dirname, '..', '..', '..');

export function collectMachine(): Machine {
  let cpuModel = cpus()[0]?.model?.trim() ?? '';
  try {
    cpuModel = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1].trim() ?? cpuModel;
  } catch {
    // Not Linux: what os.cpus() says.
  }
  return { cpuModel: cpuModel || 'unknown', cores: availableParallelism(), memoryGiB: totalmem() / 2 ** 30, os: `${type()} ${release()} ${process.arch}` };
}

/** The installed version of a package: at the top of node_modules, else where the Nest Fastify adapter has it. */
function installedVersion(name: string): string {
  for (const dir of [join(ROOT, 'node_modules', name), join(ROOT, 'node_modules', '@nestjs', 'platform-fastify', 'node_modules', name)]) {
    try {
      return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      // Try the next place.
    }
  }
  return '-';
}

export async function collectVersions(adminDatabaseUrl: string): Promise<Versions> {
  let postgres: string;
  const c = new Client({ connectionString: adminDatabaseUrl });
  try {
    await c.connect();
    postgres = (await c.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version;
  } catch (e) {
    postgres = `unknown (${(e as Error).message})`;
  } finally {
    await c.end().catch(() => undefined);
  }
  return { node: process.versions.node, postgres, packages: Object.fromEntries(KEY_PACKAGES.map((p) => [p, installedVersion(p)])) };
}

const cell = (v: string | number) => (typeof v === 'number' ? formatNumber(v) : v).toString().replace(/\|/g, '\\|').replace(/\n/g, ' ');

function table(header: string[], rows: (string | number)[][]): string {
  return [`| ${header.map(cell).join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

const percent = (ratio: number) => `${(ratio * 100).toFixed(1)} %`;

/** The ratio of the median run, with the spread of all runs when there were several. */
function ratioText(r: ScenarioResult): string {
  if (r.ratio === undefined) return '-';
  if (!r.runs || r.runs.length < 2) return percent(r.ratio);
  const ratios = r.runs.map((x) => x.ratio);
  return `${percent(r.ratio)} (${(Math.min(...ratios) * 100).toFixed(1)} to ${percent(Math.max(...ratios))})`;
}

/**
 * Several runs of one load scenario as one result: the figures of the median run by ratio, every
 * run's figures in `runs`, met only when the median run met its target and no run lost a row.
 */
export function combineRuns(results: ScenarioResult[]): ScenarioResult {
  const ok = results.filter((r) => r.ratio !== undefined && r.tracker && r.bare);
  if (!ok.length) return results[0];
  const runs: RunFigures[] = ok.map((r) => ({
    loadBefore: r.bare!.loadBefore,
    bareRps: Math.round(r.bare!.rps),
    trackerRps: Math.round(r.tracker!.rps),
    ratio: r.ratio!,
    ...(r.floorRatio !== undefined ? { floorRatio: r.floorRatio } : {}),
    trackerP99: r.tracker!.p99,
    cpuUsPerReq: r.tracker!.cpuUsPerReq,
    dbCpuUsPerReq: r.tracker!.dbCpuUsPerReq,
    rowsOk: r.rows?.ok ?? true,
    passed: r.passed,
  }));
  const median = [...ok].sort((a, b) => a.ratio! - b.ratio!)[Math.floor((ok.length - 1) / 2)];
  const lost = results.length - ok.length;
  const allRowsOk = runs.every((r) => r.rowsOk);
  return {
    ...median,
    runs,
    passed: median.passed && allRowsOk && lost === 0,
    seconds: results.reduce((n, r) => n + (r.seconds ?? 0), 0),
    notes: [
      ...median.notes,
      ...(lost ? [`${lost} of ${results.length} runs failed and are left out.`] : []),
      ...(allRowsOk ? [] : ['A run lost acknowledged rows (see the runs table).']),
    ],
    figures: { ...median.figures, runs: results.length, ratioMin: Math.min(...runs.map((r) => r.ratio)), ratioMax: Math.max(...runs.map((r) => r.ratio)) },
  };
}
const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));

function duration(seconds: number): string {
  const s = Math.round(seconds);
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}

/** One line per scenario: the figures the summary tables (console and file) show. */
export function summaryRows(results: ScenarioResult[]): (string | number)[][] {
  return results.map((r) => {
    const t = r.tracker;
    const load = (f: LoadFigures | undefined) => (f ? [Math.round(f.rps), f.p50, f.p99] : ['-', '-', '-']);
    let rows = r.rows ? `${formatNumber(r.rows.acknowledged)} / ${formatNumber(r.rows.found)}${r.rows.ok ? '' : ' (FAILED)'}` : '-';
    if (r.queries?.length) {
      const counted = r.queries.filter((q) => q.counted);
      rows = `${counted.filter((q) => q.met).length} of ${counted.length} counted queries met their target; slowest median ${ms(Math.max(...counted.map((q) => q.medianMs)))} ms`;
    }
    return [r.scenario, ...load(t), r.bare ? Math.round(r.bare.rps) : '-', ratioText(r), rows, r.passed ? 'met' : 'NOT met'];
  });
}

export const SUMMARY_HEADER = ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'bare req/s', 'tracker / bare', 'rows acknowledged / found', 'target'];

function loadTable(r: ScenarioResult): string {
  const figures = [r.bare, r.floor, r.tracker].filter((f): f is LoadFigures => !!f);
  const us = (v: number | null) => (v === null ? '-' : v.toFixed(1));
  return table(
    ['server', 'processes', 'connections', 'req/s', 'p50 ms', 'p99 ms', 'CPU µs/req', 'DB CPU µs/req', 'load avg before → after', 'answers (measured run)'],
    figures.map((f) => [
      f.label,
      f.processes,
      f.connections,
      Math.round(f.rps),
      f.p50,
      f.p99,
      us(f.cpuUsPerReq),
      us(f.dbCpuUsPerReq),
      `${f.loadBefore.toFixed(2)} → ${f.loadAfter.toFixed(2)}`,
      Object.entries(f.statuses)
        .map(([c, n]) => `${c}: ${formatNumber(n)}`)
        .join(', ') + (f.errors ? `, errors: ${f.errors}` : '') || '-',
    ]),
  );
}

function scenarioSection(r: ScenarioResult): string {
  const out = [
    `## ${r.scenario}`,
    '',
    `${r.description}.`,
    '',
    `Target: ${r.target}. **${r.passed ? 'Met' : 'Not met'}**${r.seconds !== undefined ? ` (scenario took ${duration(r.seconds)})` : ''}.`,
    '',
  ];
  if (r.tracker || r.bare) out.push(loadTable(r), '');
  if (r.ratio !== undefined) out.push(`Tracker / bare: **${percent(r.ratio)}** of the baseline's req/s, measured in the same run.`, '');
  if (r.runs && r.runs.length > 1) {
    const us = (v: number | null) => (v === null ? '-' : v.toFixed(1));
    const floor = r.runs.some((x) => x.floorRatio !== undefined);
    out.push(
      `Runs (the figures above are the median run's, by ratio; spread ${ratioText(r)}):`,
      '',
      table(
        [
          'run',
          'load avg before',
          'bare req/s',
          'tracker req/s',
          'tracker / bare',
          ...(floor ? ['durable floor / bare'] : []),
          'tracker p99 ms',
          'CPU µs/req',
          'DB CPU µs/req',
          'rows',
        ],
        r.runs.map((x, i) => [
          i + 1,
          x.loadBefore.toFixed(2),
          x.bareRps,
          x.trackerRps,
          percent(x.ratio),
          ...(floor ? [x.floorRatio === undefined ? '-' : percent(x.floorRatio)] : []),
          x.trackerP99,
          us(x.cpuUsPerReq),
          us(x.dbCpuUsPerReq),
          x.rowsOk ? 'all stored' : 'MISSING',
        ]),
      ),
      '',
    );
  }
  if (r.rows) out.push(`Rows (${r.rows.what}): ${formatNumber(r.rows.acknowledged)} acknowledged, ${formatNumber(r.rows.found)} found: ${r.rows.detail}.`, '');
  if (r.queries?.length) {
    out.push(
      table(
        ['request', 'rows', 'median ms', 'min ms', 'max ms', 'CPU busy before', 'target'],
        r.queries.map((q) => [
          q.name,
          q.rows,
          ms(q.medianMs),
          ms(q.minMs),
          ms(q.maxMs),
          q.cpuBusyBefore === null ? '?' : `${Math.round(q.cpuBusyBefore * 100)} %`,
          q.counted ? `${q.met ? 'met' : 'MISSED'}${q.targetMs === undefined ? '' : ` (<= ${q.targetMs})`}` : 'not counted',
        ]),
      ),
      '',
    );
  }
  for (const t of r.tables ?? []) out.push(`${t.title}:`, '', table(t.header, t.rows), '');
  for (const n of r.notes) out.push(n, '');
  return out.join('\n');
}

/** The results file's text. */
export function renderResults(run: RunReport): string {
  const met = run.results.filter((r) => r.passed).length;
  const m = run.machine;
  const reports = run.results.find((r) => r.scenario === 'reports');
  const lines = [
    `# Benchmark results, ${run.startedAt.slice(0, 10)}`,
    '',
    `\`${run.command}\`, started ${run.startedAt}, took ${duration(run.wallSeconds)} in all. ` +
      `Targets met: ${met} of ${run.results.length} scenarios.` +
      (reports && reports.figures.clicks !== undefined
        ? ` Reports data set: ${formatNumber(Number(reports.figures.clicks))} clicks, ${formatNumber(Number(reports.figures.conversions))} conversions` +
          (reports.figures.seededNow ? ` (seeded in this run, in ${duration(Number(reports.figures.seedSeconds))}).` : ' (seeded by an earlier run).')
        : ''),
    '',
    '## Summary',
    '',
    table(SUMMARY_HEADER, summaryRows(run.results)),
    '',
    '## Machine',
    '',
    table(
      ['', ''],
      [
        ['CPU', m.cpuModel],
        ['Cores', m.cores],
        ['Memory', `${m.memoryGiB.toFixed(1)} GiB`],
        ['OS', m.os],
      ],
    ),
    '',
    '## Versions',
    '',
    table(['', ''], [['node', run.versions.node], ['PostgreSQL server', run.versions.postgres], ...Object.entries(run.versions.packages)]),
    '',
    '## Method',
    '',
    `Everything runs on this one machine, over loopback (127.0.0.1) only: the PostgreSQL server (${run.database}), the servers under test as child ` +
      `processes (\`node dist/src/main.js\` on a fresh database of their own, OUTBOX_ENABLED=false, LOG_LEVEL=warn), and the load ` +
      `generator, autocannon, inside the runner's process. Each load run is bounded in time: ${run.connections} connections, ` +
      `${run.warmupSeconds} s of warm-up (JIT, caches, pools; not measured), then ${run.durationSeconds} s measured. req/s is ` +
      `autocannon's mean over the measured seconds; p50 and p99 are its latency percentiles in ms. Each scenario measures its bare ` +
      `baseline (plain node:http doing the least the same answer needs) in the same run, just before the tracker, so the ratio ` +
      `compares like with like on the machine's state at the time. "Rows acknowledged / found" compares what the load generator was ` +
      `told was recorded with what the database holds after the servers stopped. CPU µs/req is the CPU time of the server process(es) ` +
      `and of their database backends (from /proc) over warm-up and run, per answer. The load average before and after each run shows ` +
      `whether something else was using the machine. Per scenario:`,
    '',
    ...run.results.map((r) => `- **${r.scenario}**: ${r.method}`),
    '',
    ...run.results.map(scenarioSection),
  ];
  return (
    lines
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trimEnd() + '\n'
  );
}

const README_START = '<!-- bench:start (written by npm run bench; do not edit by hand) -->';
const README_END = '<!-- bench:end -->';

/** The README's performance figures: the summary of one `npm run bench` run. */
export function readmeBlock(resultsFile: string, results: ScenarioResult[]): string {
  const name = resultsFile.slice(resultsFile.lastIndexOf('bench/results/'));
  const runs = Math.max(1, ...results.map((r) => r.runs?.length ?? 1));
  const load = results.flatMap((r) => r.runs?.map((x) => x.loadBefore) ?? (r.tracker ? [r.tracker.loadBefore] : []));
  const lines = [
    README_START,
    `Latest run ([\`${name}\`](${name}); ${runs} runs of each load scenario, the median run shown with the spread of the ratio; ` +
      (load.length ? `load average ${Math.min(...load).toFixed(1)} to ${Math.max(...load).toFixed(1)} before the runs` : '') +
      `):`,
    '',
    table(
      ['scenario', 'tracker (median run)', 'bare baseline', 'tracker / bare', 'CPU µs per request (tracker + database)', 'stored', 'target'],
      results
        .filter((r) => r.tracker)
        .map((r) => {
          const t = r.tracker!;
          const cpu = t.cpuUsPerReq === null ? '-' : `${t.cpuUsPerReq.toFixed(0)} + ${t.dbCpuUsPerReq === null ? '?' : t.dbCpuUsPerReq.toFixed(0)}`;
          const stored = r.rows
            ? `${formatNumber(r.rows.acknowledged)} acknowledged, ${r.rows.ok && (r.runs ?? []).every((x) => x.rowsOk) ? 'all stored in every run' : 'SOME MISSING'}`
            : '-';
          return [
            r.scenario,
            `${formatNumber(Math.round(t.rps))} req/s, p50 ${t.p50} ms, p99 ${t.p99} ms`,
            r.bare ? `${formatNumber(Math.round(r.bare.rps))} req/s (${r.bare.label})` : '-',
            ratioText(r),
            cpu,
            stored,
            r.passed ? 'met' : 'not met',
          ];
        }),
    ),
    '',
  ];
  for (const r of results.filter((x) => x.floor && x.floorRatio !== undefined && x.ratio !== undefined)) {
    const f = r.floor!;
    const spread = (r.runs ?? []).map((x) => x.floorRatio).filter((x): x is number => x !== undefined);
    lines.push(
      `${r.scenario}: the durable floor (bench/lib/floor-server.ts: node:http writing the same visits with the tracker's batch ` +
        `function and fold before each 302, and nothing else) ran at ${formatNumber(Math.round(f.rps))} req/s, ` +
        `${percent(r.floorRatio!)} of bare` +
        (spread.length > 1 ? ` (${percent(Math.min(...spread))} to ${percent(Math.max(...spread))})` : '') +
        `, CPU ${f.cpuUsPerReq === null ? '-' : f.cpuUsPerReq.toFixed(0)} + ${f.dbCpuUsPerReq === null ? '?' : f.dbCpuUsPerReq.toFixed(0)} µs ` +
        `per request; the tracker ran at ${percent(r.ratio! / r.floorRatio!)} of it.`,
      '',
    );
  }
  const reports = results.find((r) => r.queries?.length);
  if (reports) {
    lines.push(
      `Reports (${reports.target}):`,
      '',
      table(
        ['request', 'median ms', 'target'],
        reports.queries!.map((q) => [
          q.name,
          ms(q.medianMs),
          q.counted ? `${q.met ? 'met' : 'missed'}${q.targetMs === undefined ? '' : ` (<= ${q.targetMs} ms)`}` : 'not counted',
        ]),
      ),
      '',
    );
  }
  lines.push(README_END);
  return lines.join('\n');
}

/** Puts the run's figures between the README's markers; false when the README has none. */
export function updateReadme(resultsFile: string, results: ScenarioResult[], readme = join(ROOT, 'README.md')): boolean {
  const text = readFileSync(readme, 'utf8');
  const a = text.indexOf(README_START);
  const b = text.indexOf(README_END);
  if (a < 0 || b < a) return false;
  writeFileSync(readme, text.slice(0, a) + readmeBlock(resultsFile, results) + text.slice(b + README_END.length));
  return true;
}

/**
 * Writes bench/results/<date>.md and .json (<date>-2, -3... when that day has a run already, which
 * is kept); answers their paths.
 */
export function writeResults(run: RunReport, dir = join(ROOT, 'bench', 'results')): { markdown: string; json: string } {
  mkdirSync(dir, { recursive: true });
  const day = join(dir, run.startedAt.slice(0, 10));
  let base = day;
  for (let n = 2; existsSync(`${base}.md`) || existsSync(`${base}.json`); n++) base = `${day}-${n}`;
  writeFileSync(`${base}.md`, renderResults(run));
  writeFileSync(`${base}.json`, JSON.stringify(run, null, 2) + '\n');
  return { markdown: `${base}.md`, json: `${base}.json` };
}
