import autocannon = require('autocannon');

export interface LoadOptions {
  url: string;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  /** Requests each connection cycles through (path and headers). */
  requests: { path: string; headers?: Record<string, string> }[];
  /** Called with every answer's status and headers (warm-up and run). */
  onResponse?: (status: number, headers: Record<string, string | string[]>) => void;
}

export interface LoadResult {
  /** Mean requests per second of the measured run. */
  rps: number;
  p50: number;
  p99: number;
  /** Responses of the measured run by status code. */
  statuses: Record<string, number>;
  /** Responses with this class of status over warm-up and run together. */
  total3xx: number;
  total: number;
  errors: number;
  timeouts: number;
}

/** A short warm-up (JIT, caches, pools), then the measured run; autocannon in this process. */
export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const onResponse =
    o.onResponse && ((status: number, _body: unknown, _context: unknown, headers: Record<string, string | string[]>) => o.onResponse!(status, headers));
  const base = { url: o.url, connections: o.connections, requests: o.requests.map((r) => ({ method: 'GET', ...r, ...(onResponse ? { onResponse } : {}) })) };
  const warm = await autocannon({ ...base, duration: o.warmupSeconds });
  const run = await autocannon({ ...base, duration: o.durationSeconds });
  const statuses: Record<string, number> = {};
  for (const [code, s] of Object.entries(run.statusCodeStats ?? {})) statuses[code] = s.count;
  return {
    rps: run.requests.average,
    p50: run.latency.p50,
    p99: run.latency.p99,
    statuses,
    total3xx: warm['3xx'] + run['3xx'],
    total: run.requests.total,
    errors: warm.errors + run.errors,
    timeouts: warm.timeouts + run.timeouts,
  };
}
