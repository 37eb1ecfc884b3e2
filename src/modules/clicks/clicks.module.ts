import { Module } from '@nestjs/common';
import { EnrichmentModule } from '../enrichment/enrichment.module';
import { ReportsModule } from '../reports/reports.module';
import { CapCounter } from './cap.counter';
import { CapRepository } from './cap.repository';
import { ClickMetrics } from './click.metrics';
import { ClickRoutes } from './click.routes';
import { ClicksController } from './clicks.controller';
import { ClicksService } from './clicks.service';
import { RedirectService } from './redirect.service';
import { RouteCache } from './route.cache';
import { RouteRepository } from './route.repository';
import { RollupFolder } from './rollup.folder';
import { VisitRepository } from './visit.repository';
import { VisitUniquesPruner } from './visit-uniques.pruner';
import { VisitWriter } from './visit.writer';
import { UniqueOracle } from './unique.oracle';

/** Clicks (SPEC §4, §8): the redirect hot path, its route cache and group-commit writer, and the clicks API. */
@Module({
  imports: [EnrichmentModule, ReportsModule],
  controllers: [ClicksController],
  providers: [
    ClickMetrics,
    RouteRepository,
    RouteCache,
    VisitRepository,
    VisitWriter,
    VisitUniquesPruner,
    RollupFolder,
    RedirectService,
    ClickRoutes,
    ClicksService,
    UniqueOracle,
    CapRepository,
    CapCounter,
  ],
  exports: [VisitWriter, RouteCache],
})
export class ClicksModule {}
