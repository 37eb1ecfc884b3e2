import { Module } from '@nestjs/common';
import { ExchangeRatesModule } from '../exchange-rates/exchange-rates.module';
import { ReportRepository } from './report.repository';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

@Module({
  imports: [ExchangeRatesModule],
  controllers: [ReportsController],
  providers: [ReportsService, ReportRepository],
})
export class ReportsModule {}
