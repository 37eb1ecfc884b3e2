import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { join } from 'node:path';
import { Gauge } from 'prom-client';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { DatabaseProbe } from '../ops/database.probe';
import { MetricsService } from '../ops/metrics.service';
import { SpoolFile } from './spool.file';

export type SpoolChannel = 'clicks' | 'pixels';

/** How often a spool with rows waiting tries to hand them to the database. */
export const SPOOL_DRAIN_EVERY_MS = 1_000;
const BATCH = 500;

type Handler = (rows: unknown[]) => Promise<void>;

/**
 * The local spool of SPEC §4 (server mode: with DATABASE_URL; the embedded database lives and dies
 * with the process): clicks and pixels that arrive while the database cannot be reached are kept
 * in `DATA_DIR/spool`, fsynced before their answer, and handed to the database in order once it is
 * back. While a channel has rows waiting, new rows join them (so they reach the database in
 * order); the owner of each channel registers how its rows are written (exactly once: by the
 * visit id, by the inbound log id). Visible in /health (`spool`) and /metrics.
 */
@Injectable()
export class SpoolService implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Spool');
  private readonly files = new Map<SpoolChannel, SpoolFile<unknown>>();
  private readonly handlers = new Map<SpoolChannel, Handler>();
  private timer: NodeJS.Timeout | null = null;
  private draining: Promise<void> | null = null;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    metrics: MetricsService,
    private readonly database: DatabaseProbe,
  ) {
    if (config.databaseUrl === null) return;
    const dir = join(config.dataDir, 'spool');
    for (const channel of ['clicks', 'pixels'] as const) this.files.set(channel, new SpoolFile(dir, channel, config.spoolMaxBytes));
    const files = this.files;
    new Gauge({
      name: 'tracker_spool_rows',
      help: 'Rows kept in the local spool while the database was unreachable, not yet written to it',
      labelNames: ['channel'],
      registers: [metrics.registry],
      collect() {
        for (const [channel, file] of files) this.set({ channel }, file.rows);
      },
    });
  }

  get enabled(): boolean {
    return this.files.size > 0;
  }

  /** Rows waiting in every channel. */
  get rows(): number {
    let n = 0;
    for (const f of this.files.values()) n += f.rows;
    return n;
  }

  /** True while the channel has rows waiting: new rows go after them, not around them. */
  holds(channel: SpoolChannel): boolean {
    return (this.files.get(channel)?.rows ?? 0) > 0;
  }

  /** Keeps the rows on disk; resolves once they are fsynced. SpoolFullError when it is full. */
  append(channel: SpoolChannel, rows: readonly unknown[]): Promise<void> {
    const file = this.files.get(channel);
    if (!file) return Promise.reject(new Error('the spool is used only with a database server (DATABASE_URL)'));
    return file.append(rows);
  }

  /** How the channel's rows are written once the database is back; throwing leaves them for the next turn. */
  register(channel: SpoolChannel, handler: Handler): void {
    this.handlers.set(channel, handler);
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    this.timer = setInterval(() => void this.drain(), SPOOL_DRAIN_EVERY_MS);
    this.timer.unref();
    if (this.rows > 0) this.logger.warn({ msg: 'rows kept in the spool by an earlier run are written once the database answers', rows: this.rows });
  }

  /** Writes what waits, channel by channel; answers when this turn is over. */
  drain(): Promise<void> {
    this.draining ??= this.drainAll().finally(() => (this.draining = null));
    return this.draining;
  }

  private async drainAll(): Promise<void> {
    if (this.rows === 0) return;
    // While the database is away the files stay as they are: no rotation under the writes.
    if (!(await this.database.up())) return;
    for (const [channel, file] of this.files) {
      const handler = this.handlers.get(channel);
      if (!handler || file.rows === 0) continue;
      try {
        const n = await file.drain(handler, BATCH);
        if (n > 0) this.logger.warn({ msg: 'spooled rows written to the database', channel, rows: n, left: file.rows });
      } catch (e) {
        // The database is still away (or refused a row): the rest stays on disk for the next turn.
        this.logger.debug({ msg: 'the spool could not be written yet', channel, err: (e as Error).message });
      }
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    // One last turn: what the database takes now is not left for the next start.
    if (this.rows > 0) await this.drain();
    else await this.draining;
  }

  async onApplicationShutdown(): Promise<void> {
    for (const f of this.files.values()) await f.close();
  }
}
