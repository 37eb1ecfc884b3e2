import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PoolClient, QueryConfig } from 'pg';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { CompiledReport } from './report.query';
import { RollupFold } from './rollup.fold';

/** A row as the compiled report SQL returns it: `d0..dn` (+ `dN_name`), the metrics, `missing_rates`. */
export type ReportSqlRow = Record<string, unknown> & { missing_rates: string[] | null };

export interface DataBounds {
  first: Date | null;
  last: Date | null;
}

const COMMA = Buffer.from(',');
const asBytes = (value: Buffer): Buffer => value;

@Injectable()
export class ReportRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly rollups: RollupFold,
  ) {}

  async runReport(report: CompiledReport): Promise<ReportSqlRow[]> {
    return this.run<ReportSqlRow>(report);
  }

  /**
   * A report compiled with the `json` answer shape: its rows as JSON text in UTF-8, in pieces (the
   * chunks with commas between them; none when there are more than its `maxRows`), how many rows
   * there are, and the currencies missing a rate. The chunks come as bytes (binary results: a text
   * column's bytes are its UTF-8) and go on as bytes: a large answer is never decoded into a string
   * and encoded again, and the caller copies the pieces once, into its answer.
   */
  async runReportJson(report: CompiledReport): Promise<{ rows: Buffer[]; rowCount: number; missingRates: string[] }> {
    type Chunk = { rows: Buffer | null; row_count: Buffer; missing_rates: Buffer | null };
    const chunks = await this.run<Chunk>(report, async (m) => {
      const client = (m.queryRunner as unknown as { databaseConnection: PoolClient }).databaseConnection;
      // pg reads `binary` from the query's config (the result in binary format); its types omit it.
      const config: QueryConfig & { binary: boolean } = { text: report.sql, values: report.params, binary: true, types: { getTypeParser: () => asBytes } };
      try {
        return (await client.query<Chunk>(config)).rows;
      } catch (err) {
        // As TypeORM's query() fails: the error filter reads a lost database from a QueryFailedError.
        throw new QueryFailedError(report.sql, report.params, err as Error);
      }
    });
    const first = chunks[0];
    const pieces: Buffer[] = [];
    for (const c of chunks) {
      // A null text is the one row answered when there are no chunks.
      if (!c.rows) continue;
      if (pieces.length) pieces.push(COMMA);
      pieces.push(c.rows);
    }
    return {
      rows: pieces,
      rowCount: first ? Number(first.row_count.toString()) : 0,
      missingRates: first?.missing_rates ? (JSON.parse(first.missing_rates.toString()) as string[]) : [],
    };
  }

  private async run<T>(report: CompiledReport, query: (m: EntityManager) => Promise<T[]> = (m) => m.query(report.sql, report.params)): Promise<T[]> {
    // Clicks committed but not yet folded into the rollups are folded first, in a transaction of
    // its own so the report that follows holds no lock: a report is exact.
    await this.rollups.run('report');
    return this.db.transaction(async (m) => {
      // The planner cannot see into the bucket arrays, guesses millions of rows, and then spends a
      // second or more JIT-compiling a query that runs in milliseconds. Off for this transaction only.
      // Money and ratios come as doubles (report.metrics.ts): printed in full (shortest exact
      // text), whatever the server's extra_float_digits.
      await m.query(`SELECT set_config('jit', 'off', true), set_config('extra_float_digits', '1', true)`);
      return query(m);
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
