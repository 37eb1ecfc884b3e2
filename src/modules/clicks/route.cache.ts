import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ChangeBus, ChangedResource } from '../../common/change-bus';
import { RouteRepository } from './route.repository';
import { buildSnapshot, EMPTY_SNAPSHOT, RouteSnapshot } from './route.snapshot';

/** How often other processes' management changes are looked for (SPEC §3: seen within 5 s). */
export const ROUTE_POLL_MS = 2_000;
const ROUTING: ReadonlySet<ChangedResource> = new Set(['campaigns', 'offers', 'landing-pages', 'traffic-sources']);

/**
 * Campaigns with their destinations, in memory, so a click reads no routing row from the database.
 * A change in this process (ChangeBus) makes the next click wait for the reload; a change made
 * by another process is noticed by a periodic signature check.
 */
@Injectable()
export class RouteCache implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RouteCache');
  private snapshot: RouteSnapshot = EMPTY_SNAPSHOT;
  private signature: string | null = null;
  /** Bumped by every notice of a change; the snapshot is fresh when `loaded` caught up with it. */
  private wanted = 1;
  private loaded = 0;
  private loading: Promise<RouteSnapshot> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private polling = false;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly repo: RouteRepository,
    changes: ChangeBus,
  ) {
    this.unsubscribe = changes.onChange((r) => {
      if (ROUTING.has(r)) this.invalidate();
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.poll(), ROUTE_POLL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** The current routes: at once when fresh, else after the reload. */
  current(): RouteSnapshot | Promise<RouteSnapshot> {
    return this.loaded === this.wanted ? this.snapshot : this.refresh();
  }

  invalidate(): void {
    this.wanted++;
    this.refresh().catch((e: unknown) => this.logger.warn({ msg: 'route reload failed', err: (e as Error).message }));
  }

  refresh(): Promise<RouteSnapshot> {
    this.loading ??= this.reload().finally(() => (this.loading = null));
    return this.loading;
  }

  /** Checks now whether another process changed routing rows (what the timer does). */
  async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      if ((await this.repo.routeSignature()) !== this.signature) this.invalidate();
    } catch (e) {
      this.logger.debug({ msg: 'route check failed', err: (e as Error).message });
    } finally {
      this.polling = false;
    }
  }

  private async reload(): Promise<RouteSnapshot> {
    while (this.loaded < this.wanted) {
      const target = this.wanted;
      // The signature is read before the rows: a change in between is seen again by the next poll.
      const signature = await this.repo.routeSignature();
      const snapshot = buildSnapshot(await this.repo.loadRouteRows());
      this.snapshot = snapshot;
      this.signature = signature;
      this.loaded = target;
    }
    return this.snapshot;
  }
}
