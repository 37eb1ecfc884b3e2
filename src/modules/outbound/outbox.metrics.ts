import { Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Counter, Gauge } from 'prom-client';
import type { DataSource } from 'typeorm';
import { MetricsService } from '../ops/metrics.service';

/**
 * Outbox health on /metrics (issue 15): depth and oldest age of what waits (read at scrape time,
 * one small query), delivery failures and dead messages (counted by this process's dispatcher).
 */
@Injectable()
export class OutboxMetrics {
  private readonly failures?: Counter;
  private readonly dead?: Counter;

  constructor(@InjectDataSource() db: DataSource, @Optional() metrics?: MetricsService) {
    if (!metrics) return;
    const registers = [metrics.registry];
    let last: Promise<{ depth: Record<string, number>; oldest: number }> | null = null;
    const read = () =>
      (last ??= db
        .query(
          `SELECT status, count(*)::int AS n, COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS oldest
             FROM outbox_messages WHERE status IN ('pending', 'paused') GROUP BY status`,
        )
        .then((rows: Array<{ status: string; n: number; oldest: number }>) => ({
          depth: Object.fromEntries(rows.map((r) => [r.status, r.n])),
          oldest: Math.max(0, ...rows.filter((r) => r.status === 'pending').map((r) => r.oldest)),
        }))
        .finally(() => setTimeout(() => (last = null), 0)));
    new Gauge({
      name: 'tracker_outbox_depth',
      help: 'Outbound messages waiting, by status (pending, paused)',
      labelNames: ['status'],
      registers,
      async collect() {
        // While the database is away /metrics still answers (the spool's gauges matter most then): last values kept.
        const r = await read().catch(() => null);
        if (r) for (const status of ['pending', 'paused']) this.set({ status }, r.depth[status] ?? 0);
      },
    });
    new Gauge({
      name: 'tracker_outbox_oldest_pending_seconds',
      help: 'Age of the oldest pending outbound message',
      registers,
      async collect() {
        const r = await read().catch(() => null);
        if (r) this.set(r.oldest);
      },
    });
    this.failures = new Counter({
      name: 'tracker_outbox_delivery_failures_total',
      help: 'Delivery attempts that failed (non-2xx, timeout, refused)',
      registers,
    });
    this.dead = new Counter({ name: 'tracker_outbox_dead_messages_total', help: 'Messages that ran out of retries', registers });
  }

  failed(): void {
    this.failures?.inc();
  }

  died(): void {
    this.dead?.inc();
  }
}
