import { Module } from '@nestjs/common';
import { EnrichmentService } from './enrichment.service';

/** Client description (user agent, geo, proxy-aware IP) shared by clicks and conversions. */
@Module({ providers: [EnrichmentService], exports: [EnrichmentService] })
export class EnrichmentModule {}
