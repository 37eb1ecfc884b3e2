import { Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { DataSource } from 'typeorm';
import { MetricsService } from '../ops/metrics.service';

/** Who asked for the fold: the app's timer (every second) or a report about to read the rollups. */
export type FoldReason = 'timer' | 'report';

/**
 * Folds the click batches queued in `rollup_pending` into the report rollups
 * (`report_fold_pending()`, migration 1764001000000), the one place that does, so /metrics can say
 * how far the rollups are behind: the visits waiting (read at scrape time), each fold's time by who
 * asked for it (a report's fold is the time it waited before reading: the report's only lag), and
 * the visits folded.
 */
@Injectable()
export class RollupFold {
  private readonly seconds?: Histogram<'reason'>;
  private readonly folded?: Counter;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Optional() metrics?: MetricsService,
  ) {
    if (!metrics) return;
    const registers = [metrics.registry];
    this.seconds = new Histogram({
      name: 'tracker_rollup_fold_seconds',
      help: 'Time to fold the queued clicks into the report rollups, by who asked (timer, report)',
      labelNames: ['reason'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.folded = new Counter({ name: 'tracker_rollup_folded_visits_total', help: 'Visits folded into the report rollups', registers });
    new Gauge({
      name: 'tracker_rollup_pending_visits',
      help: 'Visits committed and not yet folded into the report rollups (a report folds them before it reads)',
      registers,
      async collect() {
        // While the database is away /metrics still answers: the last value is kept.
        const rows: Array<{ n: number }> | null = await db.query(`SELECT coalesce(sum(cardinality(ids)), 0)::int AS n FROM rollup_pending`).catch(() => null);
        if (rows) this.set(rows[0]?.n ?? 0);
      },
    });
  }

  /** Folds what is queued; answers how many visits were folded. */
  async run(reason: FoldReason): Promise<number> {
    const started = process.hrtime.bigint();
    const [row] = await this.db.query(`SELECT report_fold_pending() AS n`);
    const n = Number(row?.n ?? 0);
    this.seconds?.observe({ reason }, Number(process.hrtime.bigint() - started) / 1e9);
    this.folded?.inc(n);
    return n;
  }
}
