import { Body, Controller, Param, Patch, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiKeyGuard, presentedKey } from '../../api-keys/api-key.guard';
import { ApiKeysService } from '../../api-keys/api-keys.service';
import type { ConversionView } from '../analytics/conversion.mapper';
import { ConversionChangeDto } from './conversion-change.dto';
import { ConversionEditService } from './conversion-edit.service';

/** `PATCH /api/v1/conversions/:id`: a conversion decided by hand (SPEC §3). */
@ApiTags('conversions')
@ApiBearerAuth()
@UseGuards(ApiKeyGuard)
@Controller('api/v1/conversions')
export class ConversionEditsController {
  constructor(
    private readonly edits: ConversionEditService,
    private readonly keys: ApiKeysService,
  ) {}

  @Patch(':id')
  async change(@Param('id') id: string, @Body() dto: ConversionChangeDto, @Req() req: FastifyRequest): Promise<ConversionView> {
    // The guard let the key in, so it names someone; its name goes into the history entry.
    const who = await this.keys.identify(presentedKey(req) ?? '');
    return this.edits.change(id, dto, who?.name ?? 'unknown key');
  }
}
