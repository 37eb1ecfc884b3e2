import { Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiKeyGuard } from '../../api-keys/api-key.guard';
import { ConversionUploadService, type UploadAnswer } from './conversion-upload.service';
import { originOf } from './intake.call';

/** `POST /api/v1/conversions/upload`: conversions by hand, in bulk (SPEC §3). */
@ApiTags('conversions')
@ApiBearerAuth()
@UseGuards(ApiKeyGuard)
@Controller('api/v1/conversions')
export class ConversionUploadController {
  constructor(private readonly uploads: ConversionUploadService) {}

  /** Up to 50,000 rows of CSV or JSON, each through the postback rules (SPEC §3). */
  @Post('upload')
  @HttpCode(200)
  upload(@Req() req: FastifyRequest): Promise<UploadAnswer> {
    return this.uploads.upload(req.body, req.headers['content-type'], originOf(req));
  }
}
