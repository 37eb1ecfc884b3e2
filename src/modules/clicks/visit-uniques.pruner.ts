import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { VisitRepository } from './visit.repository';

const PRUNE_EVERY_MS = 10 * 60_000;
const PRUNE_ROWS = 10_000;

/**
 * Removes uniqueness fingerprints older than the 24 h window (SPEC §4), a slice at a time so no
 * statement holds the table long (on the embedded database it would stall every click).
 */
@Injectable()
export class VisitUniquesPruner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('VisitUniquesPruner');
  private timer: NodeJS.Timeout | null = null;
  private busy = false;

  constructor(private readonly visits: VisitRepository) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.prune(), PRUNE_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async prune(): Promise<number> {
    if (this.busy) return 0;
    this.busy = true;
    let total = 0;
    try {
      let n: number;
      do {
        n = await this.visits.pruneUniques(PRUNE_ROWS);
        total += n;
      } while (n === PRUNE_ROWS);
    } catch (e) {
      this.logger.warn({ msg: 'pruning visit fingerprints failed', err: (e as Error).message });
    } finally {
      this.busy = false;
    }
    return total;
  }
}
