import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { CapRepository } from './cap.repository';
import type { RouteCap, RouteDestination } from './route.snapshot';
import { zonedClock } from './zoned-clock';

/** How often this process adds its clicks to the shared counters and reads the others' (SPEC §3: within 5 s). */
export const CAP_SYNC_MS = 2_000;

interface Counter {
  cap: RouteCap;
  period: string;
  /** Clicks every process had counted at the last sync. */
  shared: number;
  /** Clicks this process took since (not yet added to the shared counter). */
  pending: number;
  conversions: number;
  loaded: Promise<void> | null;
  ready: boolean;
}

/** The period a cap counts in: `total`, or the local day of `now` in the cap's zone. */
export function capPeriod(cap: Pick<RouteCap, 'per' | 'tz'>, now: number): string {
  return cap.per === 'total' ? 'total' : zonedClock(cap.tz).day(now);
}

/** The instant the period began: null for `total`, else local midnight of `now`'s day in the zone. */
export function periodStart(cap: Pick<RouteCap, 'per' | 'tz'>, now: number): Date | null {
  if (cap.per === 'total') return null;
  const local = zonedClock(cap.tz).local(now);
  return new Date(now - (((local % 86_400_000) + 86_400_000) % 86_400_000));
}

/**
 * SPEC §3 caps. Exact within a process: the check and the count happen in one synchronous step
 * on the click path (no await between them), so concurrent clicks cannot both take the last one.
 * Seen by every process within 5 s: every 2 s each process adds what it took to `cap_counters`
 * and reads the sum back, and recounts the destination's conversions (docs/decisions.md, "Caps").
 */
@Injectable()
export class CapCounter implements BeforeApplicationShutdown {
  private readonly logger = new Logger('caps');
  private readonly counters = new Map<string, Counter>();
  private readonly timer = setInterval(() => void this.sync(), CAP_SYNC_MS);
  private syncing: Promise<void> | null = null;

  constructor(private readonly repo: CapRepository) {
    this.timer.unref();
  }

  /** Loads the counters of the path's capped destinations not seen yet in their current period. */
  async prepare(destinations: readonly RouteDestination[], now: number): Promise<void> {
    let waits: Promise<void>[] | null = null;
    for (const d of destinations) {
      if (!d.cap) continue;
      const c = this.counter(d.cap, now);
      if (!c.ready) (waits ??= []).push((c.loaded ??= this.load(c)));
    }
    if (waits) await Promise.all(waits);
  }

  /** The destinations whose caps are not reached (call after `prepare`, with no await before `take`). */
  open(destinations: readonly RouteDestination[], now: number): readonly RouteDestination[] {
    if (!destinations.some((d) => d.cap)) return destinations;
    return destinations.filter((d) => !d.cap || !this.reached(this.counter(d.cap, now)));
  }

  /** Counts a click on the chosen destination. */
  take(d: RouteDestination, now: number): void {
    if (d.cap) this.counter(d.cap, now).pending++;
  }

  private reached(c: Counter): boolean {
    return (c.cap.clicks !== null && c.shared + c.pending >= c.cap.clicks) || (c.cap.conversions !== null && c.conversions >= c.cap.conversions);
  }

  private counter(cap: RouteCap, now: number): Counter {
    const period = capPeriod(cap, now);
    const id = `${cap.key}|${period}`;
    let c = this.counters.get(id);
    if (!c || c.cap !== cap) {
      // A new period, or the campaign was edited (a new snapshot): counts carry over by key.
      c = {
        cap,
        period,
        shared: c?.shared ?? 0,
        pending: c?.pending ?? 0,
        conversions: c?.conversions ?? 0,
        loaded: c?.loaded ?? null,
        ready: c?.ready ?? false,
      };
      this.counters.set(id, c);
    }
    return c;
  }

  private async load(c: Counter): Promise<void> {
    try {
      const [clicks, conversions] = await Promise.all([
        this.repo.clicks(c.cap.key, c.period),
        c.cap.conversions !== null ? this.repo.conversions(c.cap.campaignId, c.cap.offerId, periodStart(c.cap, Date.now())) : Promise.resolve(0),
      ]);
      c.shared = clicks;
      c.conversions = conversions;
      c.ready = true;
    } finally {
      c.loaded = null;
    }
  }

  /** Adds this process's clicks to the shared counters and reads back every process's. */
  sync(): Promise<void> {
    return (this.syncing ??= this.syncAll().finally(() => (this.syncing = null)));
  }

  private async syncAll(): Promise<void> {
    const now = Date.now();
    for (const [id, c] of this.counters) {
      try {
        const taken = c.pending;
        if (taken > 0) {
          const total = await this.repo.addClicks(c.cap.key, c.period, taken);
          c.pending -= taken;
          c.shared = total;
        } else if (c.ready) c.shared = await this.repo.clicks(c.cap.key, c.period);
        if (c.ready && c.cap.conversions !== null) c.conversions = await this.repo.conversions(c.cap.campaignId, c.cap.offerId, periodStart(c.cap, now));
        if (c.pending === 0 && c.period !== capPeriod(c.cap, now)) this.counters.delete(id);
      } catch (e) {
        this.logger.warn({ msg: 'cap counter sync failed; retried at the next one', capKey: c.cap.key, err: e instanceof Error ? e.message : String(e) });
      }
    }
  }

  /** The last clicks taken reach the shared counters while the database is still open. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.sync().catch(() => {});
  }
}
