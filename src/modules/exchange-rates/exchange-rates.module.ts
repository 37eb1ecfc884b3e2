import { Module } from '@nestjs/common';
import { ExchangeRatesController } from './exchange-rates.controller';
import { ExchangeRatesService } from './exchange-rates.service';
import { SettingsRepository } from './settings.repository';

@Module({ controllers: [ExchangeRatesController], providers: [ExchangeRatesService, SettingsRepository], exports: [ExchangeRatesService] })
export class ExchangeRatesModule {}
