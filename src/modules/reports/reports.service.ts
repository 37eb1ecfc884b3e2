import { Inject, Injectable } from '@nestjs/common';
import { DomainException } from '../../common/domain.exception';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/app-config';
import { ExchangeRatesService } from '../exchange-rates/exchange-rates.service';
import { planBuckets } from './bucket.planner';
import { ReportAnswer, toReportAnswer } from './report.mapper';
import { AnswerShape, compileReport, CompiledReport } from './report.query';
import { ReportRepository } from './report.repository';
import { grainsInUse, ReportRequest } from './report.request';

const ROWS_OPEN = Buffer.from('{"rows":[');

@Injectable()
export class ReportsService {
  constructor(
    private readonly repo: ReportRepository,
    private readonly rates: ExchangeRatesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async report(req: ReportRequest): Promise<ReportAnswer> {
    const rows = await this.repo.runReport(await this.compile(req, 'rows'));
    if (rows.length > this.config.reportMaxRows) throw this.tooLarge();
    return toReportAnswer(req.groupBy, rows);
  }

  /**
   * The same answer as `report`, as JSON in UTF-8 built by the database (report.query.ts, `json`):
   * for a large report, a few byte chunks joined instead of a row object, an answer object and
   * their serialisation per row in the tracker.
   */
  async reportJson(req: ReportRequest): Promise<Buffer> {
    const { rows, rowCount, missingRates } = await this.repo.runReportJson(await this.compile(req, 'json'));
    if (rowCount > this.config.reportMaxRows) throw this.tooLarge(rowCount);
    return Buffer.concat([ROWS_OPEN, ...rows, Buffer.from(`],"missingRates":${JSON.stringify([...new Set(missingRates)].sort())}}`)]);
  }

  private async compile(req: ReportRequest, answer: AnswerShape): Promise<CompiledReport> {
    const { from, to } = await this.window(req);
    const plan = planBuckets(from, to, req.tz, grainsInUse(req));
    return compileReport(req, await this.rates.get(), plan, { answer, maxRows: this.config.reportMaxRows });
  }

  /**
   * More rows than REPORT_MAX_ROWS: a 400 asking to narrow the report, where the answer would
   * otherwise outgrow the tracker's memory or, as CSV (one string), what a string holds (about
   * 512 MB in V8).
   */
  private tooLarge(rows?: number): DomainException {
    const most = this.config.reportMaxRows.toLocaleString('en');
    const has = rows === undefined ? 'more rows than' : `${rows.toLocaleString('en')} rows, more than`;
    return DomainException.field(
      'groupBy',
      `the report has ${has} REPORT_MAX_ROWS (${most}) allows; group by fewer dimensions or a coarser time, filter it, or narrow from/to`,
    );
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
