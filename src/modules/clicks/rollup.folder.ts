import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { RollupFold } from '../reports/rollup.fold';

/** How often the queued click batches are folded into the report rollups. */
export const ROLLUP_FOLD_EVERY_MS = 1_000;

/**
 * Folds the click batches queued in `rollup_pending` into the report rollups every second
 * (migration 1764001000000): one grouped upsert for a second's clicks instead of one per batch in
 * the click transaction. Reports fold what is left before they read, so they are exact either way;
 * this keeps the queue (and the fold a report may have to wait for) short.
 */
@Injectable()
export class RollupFolder implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RollupFolder');
  private timer: NodeJS.Timeout | null = null;
  private busy = false;

  constructor(private readonly rollups: RollupFold) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.fold(), ROLLUP_FOLD_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Folds what is queued; answers how many visits were folded (0 while a fold is running here). */
  async fold(): Promise<number> {
    if (this.busy) return 0;
    this.busy = true;
    try {
      return await this.rollups.run('timer');
    } catch (e) {
      this.logger.warn({ msg: 'folding clicks into the report rollups failed; the next fold retries', err: (e as Error).message });
      return 0;
    } finally {
      this.busy = false;
    }
  }
}
