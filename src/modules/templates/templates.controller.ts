import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiKeyGuard } from '../api-keys/api-key.guard';
import { TemplatesService } from './templates.service';

/** The template catalogue, read-only, for any key. */
@ApiTags('templates')
@ApiBearerAuth()
@UseGuards(ApiKeyGuard)
@Controller('api/v1/templates')
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  @Get('traffic-sources')
  trafficSources() {
    return this.templates.list('traffic-sources');
  }

  @Get('traffic-sources/:id')
  trafficSource(@Param('id') id: string) {
    return this.templates.get('traffic-sources', id);
  }

  @Get('affiliate-networks')
  affiliateNetworks() {
    return this.templates.list('affiliate-networks');
  }

  @Get('affiliate-networks/:id')
  affiliateNetwork(@Param('id') id: string) {
    return this.templates.get('affiliate-networks', id);
  }
}
