import { Global, Module } from '@nestjs/common';
import { MetricsService } from './metrics.service';
import { OpsController } from './ops.controller';
import { PoolMetrics } from './pool.metrics';

@Global()
@Module({ controllers: [OpsController], providers: [MetricsService, PoolMetrics], exports: [MetricsService] })
export class OpsModule {}
