import { Injectable, Optional } from '@nestjs/common';
import { Gauge, Histogram } from 'prom-client';
import { MetricsService } from '../ops/metrics.service';

/** Group-commit health on /metrics: batch sizes and times, and the visits waiting. */
@Injectable()
export class ClickMetrics {
  private readonly rows?: Histogram;
  private readonly seconds?: Histogram;
  private backlogOf: () => number = () => 0;

  constructor(@Optional() metrics?: MetricsService) {
    if (!metrics) return;
    const registers = [metrics.registry];
    this.rows = new Histogram({
      name: 'tracker_click_batch_rows',
      help: 'Visits per group-commit INSERT',
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
      registers,
    });
    this.seconds = new Histogram({
      name: 'tracker_click_batch_seconds',
      help: 'Time to write and commit one batch of visits',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    });
    const backlog = () => this.backlogOf();
    new Gauge({
      name: 'tracker_click_backlog',
      help: 'Visits waiting to be written or being written',
      registers,
      collect() {
        this.set(backlog());
      },
    });
  }

  watchBacklog(read: () => number): void {
    this.backlogOf = read;
  }

  batch(rows: number, seconds: number): void {
    this.rows?.observe(rows);
    this.seconds?.observe(seconds);
  }
}
