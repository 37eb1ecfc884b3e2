import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { MetricsService } from './metrics.service';

interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/** Database pool use on /metrics: connections open, idle, and queries waiting for one. */
@Injectable()
export class PoolMetrics {
  constructor(@InjectDataSource() db: DataSource, metrics: MetricsService) {
    const pool = () => (db.driver as unknown as { master?: PgPool }).master ?? null;
    new Gauge({
      name: 'tracker_db_pool_connections',
      help: 'Database pool: connections open (total), idle, and requests waiting for one (waiting)',
      labelNames: ['state'],
      registers: [metrics.registry],
      collect() {
        const p = pool();
        if (!p) return;
        this.set({ state: 'total' }, p.totalCount);
        this.set({ state: 'idle' }, p.idleCount);
        this.set({ state: 'waiting' }, p.waitingCount);
      },
    });
  }
}
