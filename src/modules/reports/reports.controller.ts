import { Controller, Get, Headers, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiKeyGuard } from '../api-keys/api-key.guard';
import { toCsv } from './report.csv';
import { parseReportRequest } from './report.request';
import { ReportsService } from './reports.service';

@ApiTags('reports')
@ApiBearerAuth()
@UseGuards(ApiKeyGuard)
@Controller('api/v1/reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  /** SPEC §8: JSON `{rows, missingRates}`, or CSV with `format=csv` / `Accept: text/csv`. */
  @Get()
  async report(@Query() query: Record<string, unknown>, @Headers('accept') accept: string | undefined, @Res() reply: FastifyReply) {
    const req = parseReportRequest(query, accept);
    if (req.format === 'json') return reply.type('application/json; charset=utf-8').send(await this.reports.reportJson(req));
    const answer = await this.reports.report(req);
    if (answer.missingRates.length) reply.header('x-missing-rates', answer.missingRates.join(','));
    reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="report.csv"')
      .send(toCsv(req.groupBy, answer.rows));
  }
}
