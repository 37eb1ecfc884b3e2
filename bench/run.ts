import { resolve } from 'node:path';
import { mkdirSync } from 'node:fs';
import { clicks2procBench } from './clicks-2proc.bench';
import { clicksBench } from './clicks.bench';
import { postbacksBench } from './postbacks.bench';
import { reportsBench } from './reports.bench';
import { printTable } from './lib/report';
import { combineRuns, collectMachine, collectVersions, summaryRows, SUMMARY_HEADER, updateReadme, writeResults } from './lib/results';
import type { BenchOptions, Scenario, ScenarioResult } from './lib/scenario';

/**
 * Load benchmarks kept in the repo:  node dist/bench/run.js clicks|clicks-2proc|postbacks|reports|all
 * (npm run bench:clicks builds first). A scenario registers here by name. `all` runs every one and
 * writes bench/results/<YYYY-MM-DD>.md (and .json, ignored by git); a single scenario only prints.
 * Environment: DATABASE_URL (admin connection; default postgres://postgres@127.0.0.1:5432/postgres),
 * BENCH_CONNECTIONS (50), BENCH_WARMUP_S (3), BENCH_DURATION_S (10), BENCH_CPU_PROF=<dir> (profile the tracker),
 * BENCH_REPORTS_CLICKS (10000000: clicks in the reports data set), BENCH_RUNS (3: runs of each load scenario,
 * reported by the median run with the spread; `all` also rewrites the README's figures from the run).
 */
const scenarios = new Map<string, Scenario>([
  [clicksBench.name, clicksBench],
  [clicks2procBench.name, clicks2procBench],
  [postbacksBench.name, postbacksBench],
  [reportsBench.name, reportsBench],
]);

function int(name: string, def: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name}: expected a positive whole number, got '${v}'`);
  return n;
}

/** A scenario that threw counts as failed; the others still run. */
async function runOne(s: Scenario, options: BenchOptions): Promise<ScenarioResult> {
  const started = Date.now();
  try {
    const r = await s.run(options);
    return { ...r, seconds: (Date.now() - started) / 1000 };
  } catch (e) {
    console.error(`${s.name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return {
      scenario: s.name,
      description: s.description,
      target: '-',
      passed: false,
      method: '-',
      seconds: (Date.now() - started) / 1000,
      notes: [`The scenario failed: ${e instanceof Error ? e.message : String(e)}`],
      figures: { error: String(e) },
    };
  }
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const wanted = process.argv[2] ?? 'all';
  const names = wanted === 'all' ? [...scenarios.keys()] : [wanted];
  const unknown = names.filter((n) => !scenarios.has(n));
  if (unknown.length) {
    console.error(`unknown scenario '${unknown.join(', ')}'; available: ${[...scenarios.keys()].join(', ')}, all`);
    process.exitCode = 2;
    return;
  }
  const profileDir = process.env.BENCH_CPU_PROF ? resolve(process.env.BENCH_CPU_PROF) : null;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const options: BenchOptions = {
    adminDatabaseUrl: process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
    connections: int('BENCH_CONNECTIONS', 50),
    warmupSeconds: int('BENCH_WARMUP_S', 3),
    durationSeconds: int('BENCH_DURATION_S', 10),
    cpuProfileDir: profileDir,
    reportsClicks: int('BENCH_REPORTS_CLICKS', 10_000_000),
  };
  const runs = int('BENCH_RUNS', 3);
  const results: ScenarioResult[] = [];
  for (const name of names) {
    const s = scenarios.get(name)!;
    const times = s.repeated ? runs : 1;
    const each: ScenarioResult[] = [];
    for (let i = 1; i <= times; i++) {
      console.log(`\n== ${s.name}${times > 1 ? ` (run ${i} of ${times})` : ''}: ${s.description}`);
      each.push(await runOne(s, options));
    }
    const result = times > 1 ? combineRuns(each) : each[0];
    if (result.runs)
      console.log(
        `${s.name}: median ratio ${(result.ratio! * 100).toFixed(1)} % over ${times} runs (${result.runs.map((r) => `${(r.ratio * 100).toFixed(1)} %`).join(', ')})`,
      );
    results.push(result);
  }
  if (profileDir) console.log(`\nCPU profiles of the tracker are in ${profileDir}`);
  const wallSeconds = (Date.now() - startedAt.getTime()) / 1000;
  printTable(`summary (${Math.round(wallSeconds)} s in all)`, SUMMARY_HEADER, summaryRows(results));
  if (wanted === 'all') {
    const files = writeResults({
      startedAt: startedAt.toISOString(),
      wallSeconds,
      command: 'npm run bench',
      database: `${new URL(options.adminDatabaseUrl).hostname}:${new URL(options.adminDatabaseUrl).port || '5432'}`,
      machine: collectMachine(),
      versions: await collectVersions(options.adminDatabaseUrl),
      connections: options.connections,
      warmupSeconds: options.warmupSeconds,
      durationSeconds: options.durationSeconds,
      results,
    });
    console.log(`\nresults: ${files.markdown}\n         ${files.json}`);
    if (updateReadme(files.markdown, results)) console.log('README.md: the performance table now shows this run');
  }
  process.exitCode = results.every((r) => r.passed) ? 0 : 1;
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exitCode = 1;
});
