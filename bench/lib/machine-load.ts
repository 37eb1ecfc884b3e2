import { readFileSync } from 'node:fs';
import { processCpuSeconds } from './process-cpu';

/** The one-minute load average (0 where /proc is missing). */
export function loadAverage(): number {
  try {
    return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  } catch {
    return 0;
  }
}

/** CPU seconds these processes have used so far, or null when one of them cannot be read. */
export function cpuOf(pids: number[]): number | null {
  let total = 0;
  for (const pid of pids) {
    const s = processCpuSeconds(pid);
    if (s === null) return null;
    total += s;
  }
  return total;
}

/** CPU seconds used so far by each of these processes that can be read. */
export function cpuByPid(pids: number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    const s = processCpuSeconds(pid);
    if (s !== null) out.set(pid, s);
  }
  return out;
}

/**
 * CPU seconds a changing set of processes (a server's database backends) used since `before`:
 * each process found now counts from its reading in `before`, or from zero when it started since;
 * one that exited in between is left out (a pool closes idle connections). Null when none is found.
 */
export function cpuSince(before: Map<number, number>, pidsNow: number[]): number | null {
  const now = cpuByPid(pidsNow);
  if (now.size === 0) return null;
  let total = 0;
  for (const [pid, s] of now) total += s - (before.get(pid) ?? 0);
  return total;
}

/**
 * Microseconds of CPU per answered request between two readings in seconds (from `cpuOf`, or 0 and
 * `cpuSince`); null when a reading is missing or nothing was answered.
 */
export function cpuUsPer(answered: number): (a: number | null, b: number | null) => number | null {
  return (a, b) => (a !== null && b !== null && answered > 0 ? ((b - a) * 1e6) / answered : null);
}
