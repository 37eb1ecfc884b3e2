import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectMachine, combineRuns, readmeBlock, renderResults, RunReport, summaryRows, updateReadme, writeResults } from '../../bench/lib/results';
import type { LoadFigures, ScenarioResult } from '../../bench/lib/scenario';

const load = (label: string, rps: number, p50: number, p99: number): LoadFigures => ({
  label,
  processes: 1,
  connections: 50,
  rps,
  p50,
  p99,
  statuses: { '302': Math.round(rps * 10) },
  errors: 0,
  cpuUsPerReq: 123.45,
  dbCpuUsPerReq: null,
  loadBefore: 0.5,
  loadAfter: 1.75,
});

function run(results: ScenarioResult[]): RunReport {
  return {
    startedAt: '2025-11-22T23:40:05.000Z',
    wallSeconds: 512.4,
    command: 'npm run bench',
    database: '127.0.0.1:5432',
    machine: { cpuModel: 'AMD EPYC', cores: 2, memoryGiB: 23.54, os: 'Linux 6.1.0 x64' },
    versions: { node: '20.20.2', postgres: '15.20 (Debian 15.20-0+deb12u1)', packages: { '@nestjs/core': '12.5.1', fastify: '5.6.1', pg: '8.23.1' } },
    connections: 50,
    warmupSeconds: 3,
    durationSeconds: 10,
    results,
  };
}

const clicks: ScenarioResult = {
  scenario: 'clicks',
  description: 'GET /c/:key against a bare node:http 302',
  target: 'tracker >= 40 % of the bare req/s',
  passed: true,
  method: 'Baseline: node:http answering the same 302.',
  bare: load('bare node:http', 20_000.4, 2, 5),
  tracker: load('tracker', 9_123.6, 5, 9),
  ratio: 0.45613,
  rows: { what: 'visits for acknowledged 302s', acknowledged: 120_000, found: 120_031, ok: true, detail: 'every acknowledged click is stored' },
  notes: [],
  seconds: 41.2,
  figures: {},
};

const reports: ScenarioResult = {
  scenario: 'reports',
  description: 'GET /api/v1/reports over 10,000,000 clicks',
  target: 'median <= 200 ms for each of the three counted requests',
  passed: false,
  method: 'Data: 10,000,000 clicks.',
  queries: [
    { name: 'groupBy=campaign, 30 days', rows: 50, medianMs: 41.26, minMs: 30.1, maxMs: 60, cpuBusyBefore: 0.02, counted: true, met: true },
    { name: 'groupBy=country,os | 30 days', rows: 102, medianMs: 250.4, minMs: 200, maxMs: 400, cpuBusyBefore: null, counted: true, met: false },
    { name: 'groupBy=zone, 1 day', rows: 59, medianMs: 9.3, minMs: 5, maxMs: 21, cpuBusyBefore: 0.8, counted: false, met: true },
  ],
  tables: [
    {
      title: 'Click path cost',
      header: ['batch rows', 'added ms'],
      rows: [
        [1, 0.15],
        [1000, 17.83],
      ],
    },
  ],
  notes: ['Seeded tracker_bench_reports in this run: 180 s.'],
  figures: { clicks: 10_000_000, conversions: 200_000, seededNow: true, seedSeconds: 161 },
};

describe('bench results file', () => {
  it('shows the machine, the versions, the method, a summary and each scenario', () => {
    const md = renderResults(run([clicks, reports]));
    assert.match(md, /^# Benchmark results, 2025-11-22\n/);
    assert.match(
      md,
      /took 8 min 32 s in all\. Targets met: 1 of 2 scenarios\. Reports data set: 10,000,000 clicks, 200,000 conversions \(seeded in this run, in 2 min 41 s\)\./,
    );
    assert.match(md, /\| CPU \| AMD EPYC \|/);
    assert.match(md, /\| Cores \| 2 \|/);
    assert.match(md, /\| Memory \| 23\.5 GiB \|/);
    assert.match(md, /\| node \| 20\.20\.2 \|/);
    assert.match(md, /\| PostgreSQL server \| 15\.20 \(Debian 15\.20-0\+deb12u1\) \|/);
    assert.match(md, /\| fastify \| 5\.6\.1 \|/);
    assert.match(md, /## Method\n\n.*loopback.*PostgreSQL server \(127\.0\.0\.1:5432\).*50 connections, 3 s of warm-up.*10 s measured/);
    assert.match(md, /- \*\*clicks\*\*: Baseline: node:http answering the same 302\./);
    // Summary: req/s rounded, ratio as a percentage, rows acknowledged / found, the reports' verdict.
    assert.match(md, /\| clicks \| 9,124 \| 5 \| 9 \| 20,000 \| 45\.6 % \| 120,000 \/ 120,031 \| met \|/);
    assert.match(md, /\| reports \| - \| - \| - \| - \| - \| 1 of 2 counted queries met their target; slowest median 250 ms \| NOT met \|/);
    // Per scenario: the load table, the ratio, the rows, the queries, extra tables and notes.
    assert.match(
      md,
      /## clicks\n\nGET \/c\/:key against a bare node:http 302\.\n\nTarget: tracker >= 40 % of the bare req\/s\. \*\*Met\*\* \(scenario took 41 s\)\./,
    );
    assert.match(md, /\| tracker \| 1 \| 50 \| 9,124 \| 5 \| 9 \| 123\.5 \| - \| 0\.50 → 1\.75 \| 302: 91,236 \|/);
    assert.match(md, /Tracker \/ bare: \*\*45\.6 %\*\*/);
    assert.match(md, /Rows \(visits for acknowledged 302s\): 120,000 acknowledged, 120,031 found: every acknowledged click is stored\./);
    assert.match(md, /\| groupBy=campaign, 30 days \| 50 \| 41\.3 \| 30\.1 \| 60\.0 \| 2 % \| met \|/);
    assert.match(md, /\| groupBy=country,os \\\| 30 days \| 102 \| 250 \| 200 \| 400 \| \? \| MISSED \|/, 'a | inside a cell is escaped');
    assert.match(md, /\| groupBy=zone, 1 day \| 59 \| 9\.3 \| 5\.0 \| 21\.0 \| 80 % \| not counted \|/);
    assert.match(md, /Click path cost:\n\n\| batch rows \| added ms \|\n\| --- \| --- \|\n\| 1 \| 0\.15 \|\n\| 1,000 \| 17\.83 \|/);
    assert.match(md, /Seeded tracker_bench_reports in this run: 180 s\./);
    assert.ok(md.endsWith('\n') && !md.includes('\n\n\n'));
  });

  it('marks a failed row check in the summary', () => {
    const failed = { ...clicks, passed: false, rows: { ...clicks.rows!, found: 119_990, ok: false } };
    const [row] = summaryRows([failed]);
    assert.equal(row[6], '120,000 / 119,990 (FAILED)');
    assert.equal(row[7], 'NOT met');
  });

  it('writes <date>.md and <date>.json, <date>-2 for a second run that day', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-results-'));
    try {
      const files = writeResults(run([clicks]), dir);
      assert.equal(files.markdown, join(dir, '2025-11-22.md'));
      assert.match(readFileSync(files.markdown, 'utf8'), /## clicks/);
      assert.equal(JSON.parse(readFileSync(files.json, 'utf8')).results[0].tracker.rps, 9_123.6);
      const again = writeResults(run([clicks]), dir);
      assert.equal(again.markdown, join(dir, '2025-11-22-2.md'), 'a second run of the day keeps the first');
      assert.match(readFileSync(files.markdown, 'utf8'), /## clicks/);
      assert.equal(writeResults(run([clicks]), dir).json, join(dir, '2025-11-22-3.json'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the machine it runs on', () => {
    const m = collectMachine();
    assert.ok(m.cores >= 1 && m.memoryGiB > 0 && m.cpuModel.length > 0);
  });

  it('reports three runs by the median run, with the spread and every run', () => {
    const at = (ratio: number, loadBefore: number, ok = true): ScenarioResult => ({
      ...clicks,
      ratio,
      passed: ratio >= 0.4 && ok,
      bare: { ...load('bare node:http', 20_000, 2, 5), loadBefore },
      tracker: load('tracker', 20_000 * ratio, 5, 9),
      rows: { ...clicks.rows!, ok },
    });
    const combined = combineRuns([at(0.43, 0.3), at(0.39, 1.2), at(0.47, 0.8)]);
    assert.equal(combined.ratio, 0.43, 'the median run');
    assert.equal(combined.tracker!.rps, 8_600);
    assert.equal(combined.runs!.length, 3);
    assert.equal(combined.passed, true);
    assert.equal(summaryRows([combined])[0][5], '43.0 % (39.0 to 47.0 %)');
    const md = renderResults(run([combined]));
    assert.match(md, /spread 43\.0 % \(39\.0 to 47\.0 %\)/);
    assert.match(md, /\| 2 \| 1\.20 \| 20,000 \| 7,800 \| 39\.0 % \| 9 \| 123\.5 \| - \| all stored \|/);
    // One run that lost a row fails the scenario, whatever its median.
    assert.equal(combineRuns([at(0.43, 0.3), at(0.45, 0.3, false), at(0.47, 0.3)]).passed, false);
  });

  it('shows the durable floor beside bare and tracker, and its ratio in every run', () => {
    const at = (ratio: number, floorRatio: number): ScenarioResult => ({
      ...clicks,
      ratio,
      floorRatio,
      bare: load('bare node:http', 50_000, 0, 2),
      floor: load('durable floor', 50_000 * floorRatio, 3, 9),
      tracker: load('tracker', 50_000 * ratio, 4, 12),
    });
    const combined = combineRuns([at(0.19, 0.233), at(0.2, 0.25), at(0.18, 0.22)]);
    assert.equal(combined.floorRatio, 0.233, "the median run's floor");
    assert.deepEqual(
      combined.runs!.map((r) => r.floorRatio),
      [0.233, 0.25, 0.22],
    );
    const md = renderResults(run([combined]));
    assert.match(md, /\| bare node:http \| 1 \| 50 \| 50,000 \|[^\n]*\n\| durable floor \| 1 \| 50 \| 11,650 \|[^\n]*\n\| tracker \| 1 \| 50 \| 9,500 \|/);
    assert.match(md, /\| tracker \/ bare \| durable floor \/ bare \| tracker p99 ms \|/);
    assert.match(md, /\| 2 \| 0\.50 \| 50,000 \| 10,000 \| 20\.0 % \| 25\.0 % \| 12 \|/);
    assert.match(
      readmeBlock('/x/bench/results/2026-12-05.md', [combined]),
      /clicks: the durable floor \([^)]*\) ran at 11,650 req\/s, 23\.3 % of bare \(22\.0 % to 25\.0 %\), CPU 123 \+ \? µs per request; the tracker ran at 81\.5 % of it\./,
    );
    // Without a floor (postbacks) the runs table keeps its columns.
    assert.doesNotMatch(renderResults(run([combineRuns([{ ...clicks }, { ...clicks }])])), /durable floor/);
  });

  it('rewrites only the README block between its markers', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-readme-'));
    try {
      const readme = join(dir, 'README.md');
      const start = '<!-- bench:start (written by npm run bench; do not edit by hand) -->';
      writeFileSync(readme, `# T\n\nbefore\n\n${start}\nold figures\n<!-- bench:end -->\n\nafter\n`);
      assert.equal(updateReadme('/x/bench/results/2025-11-22.md', [clicks, reports], readme), true);
      const text = readFileSync(readme, 'utf8');
      assert.ok(text.startsWith('# T\n\nbefore\n\n') && text.endsWith('<!-- bench:end -->\n\nafter\n'));
      assert.ok(!text.includes('old figures'));
      assert.match(text, /\[`bench\/results\/2025-11-22\.md`\]\(bench\/results\/2025-11-22\.md\)/);
      assert.match(
        text,
        /\| clicks \| 9,124 req\/s, p50 5 ms, p99 9 ms \| 20,000 req\/s \(bare node:http\) \| 45\.6 % \| 123 \+ \? \| 120,000 acknowledged, all stored in every run \| met \|/,
      );
      assert.match(text, /\| groupBy=country,os \\\| 30 days \| 250 \| missed \|/);
      writeFileSync(readme, 'no markers\n');
      assert.equal(updateReadme('/x/bench/results/2025-11-22.md', [clicks], readme), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
