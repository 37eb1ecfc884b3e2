import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each history row says what made the change (`postback`, `click` for a late attribution,
 * `manual` for PATCH /conversions/:id, `upload`) and, by hand, which API key (its name). Rows
 * written before have none; the API derives `postback` from their inbound log entry.
 */
export class HistorySource1796700000000 implements MigrationInterface {
  name = 'HistorySource1796700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE conversion_history ADD COLUMN source text, ADD COLUMN actor text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE conversion_history DROP COLUMN source, DROP COLUMN actor`);
  }
}
