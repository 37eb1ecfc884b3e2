import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { runExclusive } from '../../common/exclusive-job';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';

/** Partitions of `visits` made ahead of time, in UTC days after today. */
export const VISITS_AHEAD_DAYS = 7;
const EVERY_MS = 60 * 60_000;
const LOCK_KEY = 7362;
const LOCK_TIMEOUT_MS = 2000;

export interface VisitLifecycleResult {
  created: string[];
  dropped: string[];
  defaultDeleted: number;
}

/**
 * The data lifecycle of `visits` (SPEC §9), hourly and once at start, in one process at a time
 * (advisory lock): makes the daily partitions of the days ahead, and with RETENTION_VISITS_DAYS
 * drops the partitions wholly older than that. Dropping fires no DELETE trigger, so the report
 * rollups keep the totals of the dropped days. The work is `visits_partition_maintain()`.
 */
@Injectable()
export class VisitLifecycleJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('VisitLifecycle');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), EVERY_MS);
    this.timer.unref();
    void this.tick();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  private async tick(): Promise<void> {
    try {
      await this.run();
    } catch (e) {
      this.logger.warn({ msg: 'visits lifecycle failed; retried next hour', err: (e as Error).message });
    }
  }

  /** One turn; null when another process is doing it. `at` is for tests. */
  async run(at: Date = new Date()): Promise<VisitLifecycleResult | null> {
    if (this.running) return null;
    const started = Date.now();
    const work = runExclusive(this.db, LOCK_KEY, LOCK_TIMEOUT_MS, async (m) => {
      const [row]: { r: VisitLifecycleResult }[] = await m.query(`SELECT visits_partition_maintain($1, $2, $3) AS r`, [
        VISITS_AHEAD_DAYS,
        this.config.retentionVisitsDays,
        at.toISOString(),
      ]);
      return row.r;
    });
    this.running = work;
    try {
      const r = await work;
      if (r && (r.created.length || r.dropped.length || r.defaultDeleted))
        this.logger.log({ msg: 'visits lifecycle', created: r.created, dropped: r.dropped, defaultDeleted: r.defaultDeleted, ms: Date.now() - started });
      return r;
    } finally {
      this.running = null;
    }
  }
}
