import { Global, Module } from '@nestjs/common';
import { DatabaseProbe } from './database.probe';
import { MetricsService } from './metrics.service';
import { OpsController } from './ops.controller';
import { PoolMetrics } from './pool.metrics';

@Global()
@Module({ controllers: [OpsController], providers: [MetricsService, PoolMetrics, DatabaseProbe], exports: [MetricsService, DatabaseProbe] })
export class OpsModule {}
