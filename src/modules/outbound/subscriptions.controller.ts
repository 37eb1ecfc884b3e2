import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { parseIncludeArchived } from '../../common/crud';
import { Page, parsePageRequest } from '../../common/paging';
import { ApiKeyGuard } from '../api-keys/api-key.guard';
import { SubscriptionDto } from './subscription.dto';
import { SubscriptionsService, SubscriptionView } from './subscriptions.service';

@ApiTags('subscriptions')
@ApiBearerAuth()
@UseGuards(ApiKeyGuard)
@Controller('api/v1/subscriptions')
export class SubscriptionsController {
  constructor(private readonly subscriptions: SubscriptionsService) {}

  @Post()
  create(@Body() dto: SubscriptionDto): Promise<SubscriptionView> {
    return this.subscriptions.create(dto);
  }

  @Get()
  list(@Query() query: Record<string, unknown>): Promise<Page<SubscriptionView>> {
    return this.subscriptions.list(parsePageRequest(query), parseIncludeArchived(query));
  }

  @Get(':id')
  get(@Param('id') id: string): Promise<SubscriptionView> {
    return this.subscriptions.get(id);
  }

  @Put(':id')
  replace(@Param('id') id: string, @Body() dto: SubscriptionDto): Promise<SubscriptionView> {
    return this.subscriptions.replace(id, dto);
  }

  /** Re-enables a receiver that a 410 disabled; its paused messages are sent, in order. */
  @Post(':id/receivers/:index/enable')
  @HttpCode(200)
  enableReceiver(@Param('id') id: string, @Param('index') index: string) {
    return this.subscriptions.enableReceiver(id, index);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string): Promise<void> {
    await this.subscriptions.remove(id);
  }
}
