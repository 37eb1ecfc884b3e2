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
