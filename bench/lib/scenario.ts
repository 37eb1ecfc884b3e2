/** What every benchmark scenario (clicks, postbacks, reports) is, so bench/run.ts can list and run them. */
export interface BenchOptions {
  /** Admin connection to a PostgreSQL server: the bench makes its own database there and drops it. */
  adminDatabaseUrl: string;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  /** Write a V8 CPU profile of the tracker process into this folder. */
  cpuProfileDir: string | null;
  /** Clicks in the reports data set (conversions: one per 50). */
  reportsClicks: number;
}

/** One server (or a pair of processes) under load: the figures of the measured run. */
export interface LoadFigures {
  /** 'bare node:http', 'tracker', ... */
  label: string;
  processes: number;
  connections: number;
  /** Mean answers per second of the measured run (over all processes). */
  rps: number;
  /** Latency in ms; with more than one process, the slower process's figure. */
  p50: number;
  p99: number;
  /** Answers in the measured run by status code. */
  statuses: Record<string, number>;
  /** Connection errors and timeouts over warm-up and run. */
  errors: number;
  /** CPU time of the server process(es) and of their database backends per answer, in µs; null when unknown. */
  cpuUsPerReq: number | null;
  dbCpuUsPerReq: number | null;
  /** One-minute load average just before the warm-up and just after the measured run. */
  loadBefore: number;
  loadAfter: number;
}

/** What was acknowledged to the load generator against what the database holds afterwards. */
export interface RowCheck {
  /** 'visits for 302s', 'conversions for 200s'. */
  what: string;
  acknowledged: number;
  found: number;
  ok: boolean;
  detail: string;
}

/** One timed request of the reports scenario. */
export interface QueryFigures {
  name: string;
  rows: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Median share of all CPUs other processes kept busy just before each timed request (0-1), null off Linux. */
  cpuBusyBefore: number | null;
  /** Counted against the target (the others are shown for information). */
  counted: boolean;
  /** Its own limit in ms, when the requests have different ones. */
  targetMs?: number;
  met: boolean;
}

export interface FigureTable {
  title: string;
  header: string[];
  rows: (string | number)[][];
}

export interface ScenarioResult {
  scenario: string;
  description: string;
  /** The target, in words. */
  target: string;
  /** Whether the scenario met its stated target. */
  passed: boolean;
  /** How this scenario measures, beyond the method every scenario shares (the baseline, the data, the checks). */
  method: string;
  tracker?: LoadFigures;
  bare?: LoadFigures;
  /** tracker req/s over bare req/s, measured in the same run. */
  ratio?: number;
  /** A durable floor between the two (clicks): the least a server writing the same rows can do. */
  floor?: LoadFigures;
  /** floor req/s over bare req/s, measured in the same run. */
  floorRatio?: number;
  rows?: RowCheck;
  queries?: QueryFigures[];
  /** Further tables (per-process figures, the rollups' cost on the click path). */
  tables?: FigureTable[];
  notes: string[];
  /**
   * Every run of a repeated scenario (BENCH_RUNS): the result's other fields are those of the
   * median run by ratio; these are all of them, in the order they ran.
   */
  runs?: RunFigures[];
  /** Wall time of the scenario in seconds (set by the runner). */
  seconds?: number;
  /** Every figure by a flat name, for a caller that compares runs. */
  figures: Record<string, number | string | boolean>;
}

/** One run of a repeated load scenario. */
export interface RunFigures {
  loadBefore: number;
  bareRps: number;
  trackerRps: number;
  ratio: number;
  /** The durable floor's req/s over bare's, when the scenario has one. */
  floorRatio?: number;
  trackerP99: number;
  cpuUsPerReq: number | null;
  dbCpuUsPerReq: number | null;
  rowsOk: boolean;
  passed: boolean;
}

export interface Scenario {
  name: string;
  description: string;
  /** A load scenario with a ratio: run BENCH_RUNS times and reported by its median run. */
  repeated?: boolean;
  run(options: BenchOptions): Promise<ScenarioResult>;
}

/** The flat figures of a load run, under a prefix ('tracker', 'bare'). */
export function loadFigures(prefix: string, f: LoadFigures): Record<string, number | string> {
  return {
    [`${prefix}Rps`]: Math.round(f.rps),
    [`${prefix}P50`]: f.p50,
    [`${prefix}P99`]: f.p99,
    [`${prefix}CpuUsPerReq`]: f.cpuUsPerReq === null ? '-' : Number(f.cpuUsPerReq.toFixed(1)),
    [`${prefix}DbCpuUsPerReq`]: f.dbCpuUsPerReq === null ? '-' : Number(f.dbCpuUsPerReq.toFixed(1)),
    [`${prefix}LoadBefore`]: f.loadBefore,
    [`${prefix}LoadAfter`]: f.loadAfter,
  };
}
