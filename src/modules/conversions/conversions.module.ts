import { Module } from '@nestjs/common';
import { EnrichmentModule } from '../enrichment/enrichment.module';
import { CallDescriber } from './intake/call.describer';
import { ClickContextLoader } from './rules/click-context.loader';
import { ClickContextRepository } from './rules/click-context.repository';
import { ConversionBatcher } from './rules/conversion.batcher';
import { ConversionEditService } from './rules/conversion-edit.service';
import { ConversionUploadService } from './intake/conversion-upload.service';
import { ConversionChangeNotifier } from './rules/conversion-change.notifier';
import { ConversionQueryService } from './analytics/conversion-query.service';
import { ConversionTypeCache } from './intake/conversion-type.cache';
import { ConversionViewRepository } from './analytics/conversion-view.repository';
import { ConversionRepository } from './rules/conversion.repository';
import { ConversionService } from './rules/conversion.service';
import { ConversionsController } from './analytics/conversions.controller';
import { ConversionEditsController } from './rules/conversion-edits.controller';
import { ConversionUploadController } from './intake/conversion-upload.controller';
import { ReceiversController } from './intake/receivers.controller';
import { IntakeHooks } from './intake/intake.hooks';
import { IntakeResponder } from './intake/intake.responder';
import { IntakeService } from './intake/intake.service';
import { IntakeSettingsRepository } from './intake/intake-settings.repository';
import { LateAttributionAnnouncer } from './rules/late-attribution.announcer';
import { NetworkSettingsCache } from './intake/network-settings.cache';
import { PixelSpoolReplayer } from './intake/pixel-spool.replayer';
import { PostbackLogController } from './inbound-log/postback-log.controller';
import { PostbackLogRepository } from './inbound-log/postback-log.repository';
import { PostbackLogService } from './inbound-log/postback-log.service';

/**
 * Conversions, in four rooms: `intake/` (the receivers of SPEC §6 from one registry, their
 * adapters, the upload), `rules/` (deciding and recording a conversion, its history and who is
 * told), `inbound-log/` (every call as received, and its replay) and `analytics/` (the
 * conversion reads of SPEC §8).
 */
@Module({
  imports: [EnrichmentModule],
  controllers: [ReceiversController, PostbackLogController, ConversionsController, ConversionEditsController, ConversionUploadController],
  providers: [
    IntakeService,
    IntakeResponder,
    IntakeHooks,
    CallDescriber,
    IntakeSettingsRepository,
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
