import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DataSource, EntityManager } from 'typeorm';
import { QueryFailedError } from 'typeorm';
import { isDatabaseDown } from '../../common/http-exception.filter';
import { ReportRepository } from './report.repository';
import type { RollupFold } from './rollup.fold';

/** A data source whose transaction runs on a connection that answers `answer` to the report's query. */
function repositoryAnswering(answer: (config: { text: string; binary?: boolean }) => Promise<{ rows: unknown[] }>): ReportRepository {
  const manager = {
    query: async () => [],
    queryRunner: { databaseConnection: { query: answer } },
  } as unknown as EntityManager;
  const db = { transaction: async (work: (m: EntityManager) => Promise<unknown>) => work(manager) } as unknown as DataSource;
  return new ReportRepository(db, { run: async () => 0 } as unknown as RollupFold);
}

const report = { sql: 'SELECT 1', params: [], withClicks: true, rollup: null };

describe('ReportRepository.runReportJson', () => {
  it('asks for binary results and joins the chunks as bytes, a null chunk as nothing', async () => {
    let binary: boolean | undefined;
    const repo = repositoryAnswering(async (config) => {
      binary = config.binary;
      const row = (text: string | null) => ({
        rows: text === null ? null : Buffer.from(text),
        row_count: Buffer.from('3'),
        missing_rates: Buffer.from('["XTS"]'),
      });
      return { rows: [row('{"a":"é"}'), row('{"b":2},{"c":3}')] };
    });
    const answer = await repo.runReportJson(report);
    assert.equal(binary, true);
    assert.ok(answer.rows.every((piece) => Buffer.isBuffer(piece)));
    assert.equal(Buffer.concat(answer.rows).toString('utf8'), '{"a":"é"},{"b":2},{"c":3}');
    assert.equal(answer.rowCount, 3);
    assert.deepEqual(answer.missingRates, ['XTS']);
  });

  it('reads no rows and no missing rates from the one row answered when there are none', async () => {
    const repo = repositoryAnswering(async () => ({ rows: [{ rows: null, row_count: Buffer.from('0'), missing_rates: null }] }));
    assert.deepEqual(await repo.runReportJson(report), { rows: [], rowCount: 0, missingRates: [] });
  });

  it('fails as TypeORM would, so a lost database is still a 503', async () => {
    const repo = repositoryAnswering(async () => {
      throw new Error('Connection terminated unexpectedly');
    });
    const err = await repo.runReportJson(report).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(err instanceof QueryFailedError, String(err));
    assert.equal(isDatabaseDown(err), true);
  });
});
