import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConversionChangeListener } from '../../common/conversion-change';
import { ExchangeRatesModule } from '../exchange-rates/exchange-rates.module';
import { DeliveriesController } from './deliveries.controller';
import { DeliveriesRepository } from './deliveries.repository';
import { DeliveriesService } from './deliveries.service';
import { LogRetention } from './log-retention';
import { OutboxMetrics } from './outbox.metrics';
import { OutboxCommitWaker } from './outbox-commit.waker';
import { OutboxSettingsCache } from './outbox-settings.cache';
import { OutboxWriterRepository } from './outbox-writer.repository';
import { OutboxDispatcher } from './outbox.dispatcher';
import { OutboxRepository } from './outbox.repository';
import { OutboxWriter } from './outbox.writer';
import { SubscriptionEntity } from './subscription.entity';
import { SubscriptionsController } from './subscriptions.controller';
import { SubscriptionsRepository } from './subscriptions.repository';
import { SubscriptionsService } from './subscriptions.service';

/**
 * Conversions out (SPEC §7). Global so the conversion service can inject
 * ConversionChangeListener without importing this module.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([SubscriptionEntity]), ExchangeRatesModule],
  controllers: [SubscriptionsController, DeliveriesController],
  providers: [
    OutboxWriterRepository,
    OutboxCommitWaker,
    OutboxSettingsCache,
    OutboxWriter,
    { provide: ConversionChangeListener, useExisting: OutboxWriter },
    OutboxRepository,
    OutboxDispatcher,
    DeliveriesRepository,
    DeliveriesService,
    SubscriptionsRepository,
    SubscriptionsService,
    LogRetention,
    OutboxMetrics,
  ],
  exports: [ConversionChangeListener, OutboxWriter, OutboxDispatcher, LogRetention],
})
export class OutboundModule {}
