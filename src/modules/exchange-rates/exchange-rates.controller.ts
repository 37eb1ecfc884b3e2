import { Body, Controller, Get, Put, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiKeyGuard } from '../api-keys/api-key.guard';
import { ExchangeRatesService } from './exchange-rates.service';

@ApiTags('exchange-rates')
@ApiBearerAuth()
@UseGuards(ApiKeyGuard)
@Controller('api/v1/exchange-rates')
export class ExchangeRatesController {
  constructor(private readonly rates: ExchangeRatesService) {}

  @Get()
  get() {
    return this.rates.get();
  }

  @Put()
  replace(@Body() body: unknown) {
    return this.rates.replace(body);
  }
}
