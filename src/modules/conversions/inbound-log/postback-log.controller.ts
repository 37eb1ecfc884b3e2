import { Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Page } from '../../../common/paging';
import { ApiKeyGuard } from '../../api-keys/api-key.guard';
import { PostbackLogService, PostbackView } from './postback-log.service';

/** The inbound log: `GET /api/v1/postbacks[/:id]`, `POST /api/v1/postbacks/:id/replay`. */
@ApiTags('postbacks')
@ApiBearerAuth()
@UseGuards(ApiKeyGuard)
@Controller('api/v1/postbacks')
export class PostbackLogController {
  constructor(private readonly log: PostbackLogService) {}

  @Get()
  list(@Query() query: Record<string, unknown>): Promise<Page<PostbackView>> {
    return this.log.list(query);
  }

  @Get(':id')
  get(@Param('id') id: string): Promise<PostbackView> {
    return this.log.get(id);
  }

  @Post(':id/replay')
  @HttpCode(200)
  replay(@Param('id') id: string): Promise<Record<string, unknown>> {
    return this.log.replay(id);
  }
}
