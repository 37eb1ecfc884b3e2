import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Page } from '../../../common/paging';
import { ApiKeyGuard } from '../../api-keys/api-key.guard';
import { ConversionQueryService } from './conversion-query.service';
import type { ConversionView } from './conversion.mapper';

/** `GET /api/v1/conversions[/:id]` in the SPEC §8 shape. */
@ApiTags('conversions')
@ApiBearerAuth()
@UseGuards(ApiKeyGuard)
@Controller('api/v1/conversions')
export class ConversionsController {
  constructor(private readonly conversions: ConversionQueryService) {}

  @Get()
  list(@Query() query: Record<string, unknown>): Promise<Page<ConversionView>> {
    return this.conversions.list(query);
  }

  @Get(':id')
  get(@Param('id') id: string): Promise<ConversionView> {
    return this.conversions.get(id);
  }
}
