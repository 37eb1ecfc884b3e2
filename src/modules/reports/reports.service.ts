import { Injectable } from '@nestjs/common';
import { ExchangeRatesService } from '../exchange-rates/exchange-rates.service';
import { planBuckets } from './bucket.planner';
import { ReportAnswer, toReportAnswer } from './report.mapper';
import { AnswerShape, compileReport, CompiledReport } from './report.query';
import { ReportRepository } from './report.repository';
import { grainsInUse, ReportRequest } from './report.request';

@Injectable()
export class ReportsService {
  constructor(
    private readonly repo: ReportRepository,
    private readonly rates: ExchangeRatesService,
  ) {}

  async report(req: ReportRequest): Promise<ReportAnswer> {
    return toReportAnswer(req.groupBy, await this.repo.runReport(await this.compile(req, 'rows')));
  }

  /**
   * The same answer as `report`, as JSON text built by the database (report.query.ts, `json`): for a
   * large report, one text value instead of a row object, an answer object and their serialisation
   * per row in the tracker.
   */
  async reportJson(req: ReportRequest): Promise<string> {
    const { rows, missingRates } = await this.repo.runReportJson(await this.compile(req, 'json'));
    return `{"rows":[${rows}],"missingRates":${JSON.stringify([...new Set(missingRates)].sort())}}`;
  }

  private async compile(req: ReportRequest, answer: AnswerShape): Promise<CompiledReport> {
    const { from, to } = await this.window(req);
    const plan = planBuckets(from, to, req.tz, grainsInUse(req));
    return compileReport(req, await this.rates.get(), plan, answer);
  }

  /** An open end of the window is closed at the first or last row there is (bucket plans need both ends). */
  private async window(req: ReportRequest): Promise<{ from: Date; to: Date }> {
    if (req.from && req.to) return { from: req.from, to: req.to };
    const bounds = await this.repo.findDataBounds();
    const now = new Date();
    const from = req.from ?? bounds.first ?? now;
    const to = req.to ?? new Date(Math.max((bounds.last ?? now).getTime() + 1, from.getTime()));
    return { from, to: to.getTime() < from.getTime() ? from : to };
  }
}
