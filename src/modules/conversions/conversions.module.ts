import { Module } from '@nestjs/common';
import { EnrichmentModule } from '../enrichment/enrichment.module';
import { CallDescriber } from './call.describer';
import { ClickContextLoader } from './click-context.loader';
import { ClickContextRepository } from './click-context.repository';
import { ConversionBatcher } from './conversion.batcher';
import { ConversionEditService } from './conversion-edit.service';
import { ConversionUploadService } from './conversion-upload.service';
import { ConversionChangeNotifier } from './conversion-change.notifier';
import { ConversionQueryService } from './conversion-query.service';
import { ConversionTypeCache } from './conversion-type.cache';
import { ConversionViewRepository } from './conversion-view.repository';
import { ConversionRepository } from './conversion.repository';
import { ConversionService } from './conversion.service';
import { ConversionsController } from './conversions.controller';
import { IntakeHooks } from './intake.hooks';
import { IntakeResponder } from './intake.responder';
import { IntakeService } from './intake.service';
import { LateAttributionAnnouncer } from './late-attribution.announcer';
import { NetworkSettingsCache } from './network-settings.cache';
import { PixelController } from './pixel.controller';
import { PixelSpoolReplayer } from './pixel-spool.replayer';
import { PostbackLogController } from './postback-log.controller';
import { PostbackLogRepository } from './postback-log.repository';
import { PostbackLogService } from './postback-log.service';
import { PostbackController } from './postback.controller';
import { TrackdeskController } from './trackdesk.controller';
import { TradedoublerController } from './tradedoubler.controller';
import { TradetrackerController } from './tradetracker.controller';

/**
 * Conversions in (SPEC §6): the intake endpoints, the inbound log and its replay, the conversion
 * rules; and the conversion reads of the analytics API (SPEC §8).
 */
@Module({
  imports: [EnrichmentModule],
  controllers: [
    PostbackController,
    TrackdeskController,
    TradedoublerController,
    TradetrackerController,
    PostbackLogController,
    ConversionsController,
    // Last: `/:account/a.gif` is the only pattern starting with a parameter.
    PixelController,
  ],
  providers: [
    IntakeService,
    IntakeResponder,
    IntakeHooks,
    CallDescriber,
    NetworkSettingsCache,
    ConversionTypeCache,
    ClickContextRepository,
    ClickContextLoader,
    ConversionService,
    ConversionBatcher,
    ConversionRepository,
    ConversionChangeNotifier,
    PostbackLogRepository,
    PostbackLogService,
    ConversionViewRepository,
    ConversionQueryService,
    LateAttributionAnnouncer,
    ConversionEditService,
    ConversionUploadService,
    PixelSpoolReplayer,
  ],
})
export class ConversionsModule {}
