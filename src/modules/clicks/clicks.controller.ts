import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Page } from '../../common/paging';
import { ApiKeyGuard } from '../api-keys/api-key.guard';
import { ClicksService, ClickView } from './clicks.service';

@ApiTags('clicks')
@ApiBearerAuth()
@UseGuards(ApiKeyGuard)
@Controller('api/v1/clicks')
export class ClicksController {
  constructor(private readonly clicks: ClicksService) {}

  @Get()
  list(@Query() query: Record<string, unknown>): Promise<Page<ClickView>> {
    return this.clicks.list(query);
  }

  @Get(':id')
  get(@Param('id') id: string): Promise<ClickView> {
    return this.clicks.get(id);
  }
}
