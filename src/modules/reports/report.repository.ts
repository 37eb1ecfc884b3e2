import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CompiledReport } from './report.query';
import { RollupFold } from './rollup.fold';

/** A row as the compiled report SQL returns it: `d0..dn` (+ `dN_name`), the metrics, `missing_rates`. */
export type ReportSqlRow = Record<string, unknown> & { missing_rates: string[] | null };

export interface DataBounds {
  first: Date | null;
  last: Date | null;
}

@Injectable()
export class ReportRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly rollups: RollupFold,
  ) {}

  async runReport(report: CompiledReport): Promise<ReportSqlRow[]> {
    return this.run(report);
  }

  /**
   * A report compiled with the `json` answer shape: its rows as JSON text (its chunks joined; empty
   * when there are more than its `maxRows`), how many there are, and the currencies missing a rate.
   */
  async runReportJson(report: CompiledReport): Promise<{ rows: string; rowCount: number; missingRates: string[] }> {
    const chunks = await this.run<{ rows: string | null; row_count: string; missing_rates: string[] | null }>(report);
    const first = chunks[0];
    // A null text is the one row answered when there are no chunks.
    return { rows: chunks.map((c) => c.rows ?? '').join(','), rowCount: Number(first?.row_count ?? 0), missingRates: first?.missing_rates ?? [] };
  }

  private async run<T>(report: CompiledReport): Promise<T[]> {
    // Clicks committed but not yet folded into the rollups are folded first, in a transaction of
    // its own so the report that follows holds no lock: a report is exact.
    await this.rollups.run('report');
    return this.db.transaction(async (m) => {
      // The planner cannot see into the bucket arrays, guesses millions of rows, and then spends a
      // second or more JIT-compiling a query that runs in milliseconds. Off for this transaction only.
      // Money and ratios come as doubles (report.metrics.ts): printed in full (shortest exact
      // text), whatever the server's extra_float_digits.
      await m.query(`SELECT set_config('jit', 'off', true), set_config('extra_float_digits', '1', true)`);
      return m.query(report.sql, report.params);
    });
  }

  /** The first and last time a report could count anything at (each an index lookup). */
  async findDataBounds(): Promise<DataBounds> {
    const [row] = await this.db.query(`
      SELECT least((SELECT min(created_at) FROM visits), (SELECT min(created_at) FROM conversion_facts),
                   (SELECT min(visit_created_at) FROM conversion_facts)) AS first,
             greatest((SELECT max(created_at) FROM visits), (SELECT max(created_at) FROM conversion_facts),
                      (SELECT max(visit_created_at) FROM conversion_facts)) AS last`);
    return { first: row?.first ?? null, last: row?.last ?? null };
  }
}
