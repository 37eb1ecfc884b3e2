import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';

/** Advisory lock key of the logs retention (keys in use are listed by lifecycle's runExclusive). */
export const LOGS_RETENTION_LOCK = 7363;
/** Rows per DELETE: short statements, so neither the intake nor the dispatcher waits on one. */
export const RETENTION_BATCH = 5_000;
const HOUR_MS = 3_600_000;

export interface RetentionResult {
  ran: boolean;
  inboundLog: number;
  attempts: number;
  messages: number;
}

/**
 * RETENTION_LOGS_DAYS (SPEC §9): once an hour, rows older than that many days are deleted from
 * the inbound log (`postbacks`), the delivery attempts, and the delivered outbox messages (with
 * their attempts). Pending, paused, dead, blocked and cancelled messages are kept: they still
 * say something. One process does it at a time (a session advisory lock, tried, not waited for);
 * deletes go in batches of RETENTION_BATCH rows.
 */
@Injectable()
export class LogRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('retention');
  private timer: NodeJS.Timeout | null = null;
  private first: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.retentionLogsDays === 0 || !this.config.outboxEnabled) return;
    const tick = () => {
      this.running = this.runOnce().catch((e: unknown) => this.logger.warn({ msg: 'logs retention failed', err: (e as Error).message }));
    };
    this.timer = setInterval(tick, HOUR_MS);
    this.timer.unref();
    this.first = setTimeout(tick, 60_000);
    this.first.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.first) clearTimeout(this.first);
    await this.running;
  }

  /** One pass; `now` is for tests. Answers what it deleted, or ran: false when another process holds the lock. */
  async runOnce(now = new Date(), days = this.config.retentionLogsDays): Promise<RetentionResult> {
    const result: RetentionResult = { ran: false, inboundLog: 0, attempts: 0, messages: 0 };
    if (days <= 0) return result;
    const before = new Date(now.getTime() - days * 86_400_000).toISOString();
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = await runner.query(`SELECT pg_try_advisory_lock($1) AS locked`, [LOGS_RETENTION_LOCK]);
      if (!locked) return result;
      result.ran = true;
      try {
        const batches = async (sql: string): Promise<number> => {
          let total = 0;
          for (;;) {
            const r: unknown = await runner.query(sql, [before, RETENTION_BATCH]);
            const n = Array.isArray(r) ? Number(r[1] ?? 0) : 0;
            total += n;
            if (n < RETENTION_BATCH) return total;
          }
        };
        result.attempts = await batches(
          `DELETE FROM delivery_attempts WHERE id IN (SELECT id FROM delivery_attempts WHERE created_at < $1 AND outcome <> 'sending' LIMIT $2)`,
        );
        // A delivered message goes once it is old; its (newer) attempts go with it.
        result.messages = await batches(
          `WITH old AS (
             SELECT id FROM outbox_messages WHERE status = 'delivered' AND delivered_at < $1 LIMIT $2
           ), attempts AS (
             DELETE FROM delivery_attempts a USING old WHERE a.message_id = old.id
           )
           DELETE FROM outbox_messages m USING old WHERE m.id = old.id`,
        );
        result.inboundLog = await batches(`DELETE FROM postbacks WHERE id IN (SELECT id FROM postbacks WHERE created_at < $1 LIMIT $2)`);
      } finally {
        await runner.query(`SELECT pg_advisory_unlock($1)`, [LOGS_RETENTION_LOCK]);
      }
      if (result.attempts + result.messages + result.inboundLog > 0) this.logger.log({ msg: 'logs retention', days, ...result });
      return result;
    } finally {
      await runner.release();
    }
  }
}
