import { Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { parsePageRequest } from '../../common/paging';
import { ApiKeyGuard } from '../api-keys/api-key.guard';
import { DeliveriesService, parseAttemptFilter, parseMessageFilter } from './deliveries.service';

@ApiTags('deliveries')
@ApiBearerAuth()
@UseGuards(ApiKeyGuard)
@Controller('api/v1/deliveries')
export class DeliveriesController {
  constructor(private readonly deliveries: DeliveriesService) {}

  /** Every attempt, newest first: `status`, `messageStatus`, `messageId`, `conversionId`, `subscriptionId`, `kind`. */
  @Get()
  list(@Query() query: Record<string, unknown>) {
    return this.deliveries.listAttempts(parsePageRequest(query), parseAttemptFilter(query));
  }

  /** Every message, newest first: `status` (pending, delivered, dead, blocked), `conversionId`, `subscriptionId`, `kind`. */
  @Get('messages')
  listMessages(@Query() query: Record<string, unknown>) {
    return this.deliveries.listMessages(parsePageRequest(query), parseMessageFilter(query));
  }

  @Get('messages/:id')
  getMessage(@Param('id') id: string) {
    return this.deliveries.getMessage(id);
  }

  @Post(':id/retry')
  @HttpCode(202)
  retry(@Param('id') id: string) {
    return this.deliveries.retry(id);
  }
}
