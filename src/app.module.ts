import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { migrate } from '../migrations/migrate';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { AttributionSignal } from './common/attribution-signal';
import { ChangeBus } from './common/change-bus';
import { OutboundUrlChecker } from './modules/outbound/outbound-url.checker';
import { DatabaseHandle } from './database/data-source-options';
import { AffiliateNetworksModule } from './modules/affiliate-networks/affiliate-networks.module';
import { ApiKeysModule } from './modules/api-keys/api-keys.module';
import { CampaignsModule } from './modules/campaigns/campaigns.module';
import { ClicksModule } from './modules/clicks/clicks.module';
import { ConversionTypesModule } from './modules/conversion-types/conversion-types.module';
import { ConversionsModule } from './modules/conversions/conversions.module';
import { CostsModule } from './modules/costs/costs.module';
import { DashboardModule } from './modules/dashboard/dashboard.module';
import { ExchangeRatesModule } from './modules/exchange-rates/exchange-rates.module';
import { LifecycleModule } from './modules/lifecycle/lifecycle.module';
import { LandingPagesModule } from './modules/landing-pages/landing-pages.module';
import { OffersModule } from './modules/offers/offers.module';
import { OpsModule } from './modules/ops/ops.module';
import { OutboundModule } from './modules/outbound/outbound.module';
import { ReportsModule } from './modules/reports/reports.module';
import { SpoolModule } from './modules/spool/spool.module';
import { TrafficSourcesModule } from './modules/traffic-sources/traffic-sources.module';

export const DATABASE_HANDLE = Symbol('DATABASE_HANDLE');

/** Shared, stateless helpers every module may inject. */
@Global()
@Module({ providers: [ChangeBus, OutboundUrlChecker, AttributionSignal], exports: [ChangeBus, OutboundUrlChecker, AttributionSignal] })
class CommonModule {}

/** Stops the embedded database after TypeORM has closed its pool (Nest runs this hook last). */
@Injectable()
class DatabaseLifecycle implements OnApplicationShutdown {
  constructor(@Inject(DATABASE_HANDLE) private readonly db: DatabaseHandle) {}

  async onApplicationShutdown(): Promise<void> {
    await this.db.stop();
  }
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, db: DatabaseHandle): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        TypeOrmModule.forRootAsync({
          useFactory: () => ({ ...db.options, retryAttempts: 0 }),
          // Migrated before any module can query: versioned migrations, then the function files.
          dataSourceFactory: async (options) => {
            const ds = await new DataSource(options!).initialize();
            await migrate(ds);
            return ds;
          },
        }),
        CommonModule,
        OpsModule,
        SpoolModule,
        LifecycleModule,
        ApiKeysModule,
        TrafficSourcesModule,
        AffiliateNetworksModule,
        OffersModule,
        LandingPagesModule,
        ConversionTypesModule,
        CampaignsModule,
        ExchangeRatesModule,
        OutboundModule,
        ClicksModule,
        ConversionsModule,
        ReportsModule,
        CostsModule,
        DashboardModule,
      ],
      providers: [{ provide: DATABASE_HANDLE, useValue: db }, DatabaseLifecycle],
    };
  }
}
