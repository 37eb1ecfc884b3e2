/** What every benchmark scenario (clicks, postbacks, reports) is, so bench/run.ts can list and run them. */
export interface BenchOptions {
  /** Admin connection to a PostgreSQL server: the bench makes its own database there and drops it. */
  adminDatabaseUrl: string;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  /** Write a V8 CPU profile of the tracker process into this folder. */
  cpuProfileDir: string | null;
}

export interface ScenarioResult {
  scenario: string;
  /** Figures by name, for a caller that compares runs. */
  figures: Record<string, number | string | boolean>;
  /** Whether the scenario met its stated target. */
  passed: boolean;
}

export interface Scenario {
  name: string;
  description: string;
  run(options: BenchOptions): Promise<ScenarioResult>;
}
