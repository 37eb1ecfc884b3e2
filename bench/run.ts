import { resolve } from 'node:path';
import { mkdirSync } from 'node:fs';
import { clicksBench } from './clicks.bench';
import { postbacksBench } from './postbacks.bench';
import { reportsBench } from './reports.bench';
import type { BenchOptions, Scenario, ScenarioResult } from './lib/scenario';

/**
 * Load benchmarks kept in the repo:  node dist/bench/run.js clicks|postbacks|reports|all
 * (npm run bench:clicks builds first). A scenario registers here by name.
 * Environment: DATABASE_URL (admin connection; default postgres://postgres@127.0.0.1:5432/postgres),
 * BENCH_CONNECTIONS (50), BENCH_WARMUP_S (3), BENCH_DURATION_S (10), BENCH_CPU_PROF=<dir> (profile the tracker).
 */
const scenarios = new Map<string, Scenario>([
  [clicksBench.name, clicksBench],
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

async function main(): Promise<void> {
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
  };
  const results: ScenarioResult[] = [];
  for (const name of names) {
    const s = scenarios.get(name)!;
    console.log(`\n== ${s.name}: ${s.description}`);
    results.push(await s.run(options));
  }
  if (profileDir) console.log(`\nCPU profiles of the tracker are in ${profileDir}`);
  console.log(`\n${results.map((r) => `${r.scenario}: ${r.passed ? 'target met' : 'target NOT met'}`).join('\n')}`);
  process.exitCode = results.every((r) => r.passed) ? 0 : 1;
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exitCode = 1;
});
