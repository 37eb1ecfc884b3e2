import { Body, Controller, Get, HttpCode, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiKeyGuard } from '../api-keys/api-key.guard';
import { CostUpdateDto } from './cost-update.dto';
import { CostsService } from './costs.service';

@ApiTags('costs')
@ApiBearerAuth()
@UseGuards(ApiKeyGuard)
@Controller('api/v1/costs')
export class CostsController {
  constructor(private readonly costs: CostsService) {}

  /** SPEC §3: sets the total cost of the campaign's visits in [from, to); reports reflect it at once. */
  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: "Set a campaign's cost over a time range, spread evenly over its visits" })
  create(@Body() dto: CostUpdateDto) {
    return this.costs.update(dto);
  }

  @Get()
  @ApiOperation({ summary: 'The cost updates made, newest first' })
  @ApiQuery({ name: 'campaignId', required: false })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'cursor', required: false })
  list(@Query() query: Record<string, unknown>) {
    return this.costs.list(query);
  }
}
