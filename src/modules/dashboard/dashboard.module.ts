import { Module } from '@nestjs/common';
import { DashboardController } from './dashboard.controller';
import { DashboardFiles, defaultDashboardDir } from './dashboard.files';

/** SPEC §10: the web dashboard (built from web/ into web/dist) at `/`. */
@Module({
  controllers: [DashboardController],
  providers: [{ provide: DashboardFiles, useFactory: () => new DashboardFiles(defaultDashboardDir()) }],
})
export class DashboardModule {}
