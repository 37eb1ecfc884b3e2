import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { Page } from '../../common/paging';
import { ApiKeyGuard, presentedKey } from '../api-keys/api-key.guard';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { ConversionChangeDto } from './conversion-change.dto';
import { ConversionEditService } from './conversion-edit.service';
import { ConversionQueryService } from './conversion-query.service';
import { ConversionUploadService, type UploadAnswer } from './conversion-upload.service';
import { originOf } from './intake.call';
import type { ConversionView } from './conversion.mapper';

/** `GET /api/v1/conversions[/:id]` in the SPEC §8 shape; `PATCH /:id` and `POST /upload`, conversions by hand (SPEC §3). */
@ApiTags('conversions')
@ApiBearerAuth()
@UseGuards(ApiKeyGuard)
@Controller('api/v1/conversions')
export class ConversionsController {
  constructor(
    private readonly conversions: ConversionQueryService,
    private readonly edits: ConversionEditService,
    private readonly uploads: ConversionUploadService,
    private readonly keys: ApiKeysService,
  ) {}

  /** Up to 50,000 rows of CSV or JSON, each through the postback rules (SPEC §3). */
  @Post('upload')
  @HttpCode(200)
  upload(@Req() req: FastifyRequest): Promise<UploadAnswer> {
    return this.uploads.upload(req.body, req.headers['content-type'], originOf(req));
  }

  @Get()
  list(@Query() query: Record<string, unknown>): Promise<Page<ConversionView>> {
    return this.conversions.list(query);
  }

  @Get(':id')
  get(@Param('id') id: string): Promise<ConversionView> {
    return this.conversions.get(id);
  }

  @Patch(':id')
  async change(@Param('id') id: string, @Body() dto: ConversionChangeDto, @Req() req: FastifyRequest): Promise<ConversionView> {
    // The guard let the key in, so it names someone; its name goes into the history entry.
    const who = await this.keys.identify(presentedKey(req) ?? '');
    return this.edits.change(id, dto, who?.name ?? 'unknown key');
  }
}
