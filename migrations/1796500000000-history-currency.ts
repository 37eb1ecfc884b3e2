import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each history row keeps the currency of its payout, so a conversion's history replays to its
 * stored amount and currency (issue 13: an amount is never relabelled). Rows written before this
 * have none (NULL: not known then).
 */
export class HistoryCurrency1796500000000 implements MigrationInterface {
  name = 'HistoryCurrency1796500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE conversion_history ADD COLUMN currency text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE conversion_history DROP COLUMN currency`);
  }
}
