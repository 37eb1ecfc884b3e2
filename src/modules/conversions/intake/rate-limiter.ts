export type RateVerdict = 'allowed' | 'first-refusal' | 'refused';

const WINDOW_MS = 60_000;

/**
 * Per-key fixed one-minute windows (SPEC §2 RATE_LIMIT_PER_MINUTE; 0 turns it off). The map is
 * bounded: past `maxKeys` addresses, finished windows are dropped, and if that is not enough the
 * map starts afresh (a flood of distinct addresses then gets a fresh minute, never a crash).
 * The first refusal of a window is told apart, so only it is written to the inbound log.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limitPerMinute: number,
    private readonly maxKeys = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  hit(key: string): RateVerdict {
    if (this.limitPerMinute <= 0) return 'allowed';
    const now = this.now();
    let w = this.windows.get(key);
    if (!w || now - w.start >= WINDOW_MS) {
      if (!w && this.windows.size >= this.maxKeys) this.prune(now);
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    w.count++;
    if (w.count <= this.limitPerMinute) return 'allowed';
    return w.count === this.limitPerMinute + 1 ? 'first-refusal' : 'refused';
  }

  private prune(now: number): void {
    for (const [key, w] of this.windows) if (now - w.start >= WINDOW_MS) this.windows.delete(key);
    if (this.windows.size >= this.maxKeys) this.windows.clear();
  }
}
