import type { MigrationInterface, QueryRunner } from 'typeorm';
import { applyFunctions } from './functions';

/** The click group commit as a function: `functions/click_insert_visits.sql`. */
export class ClickBatchFunction1763771000000 implements MigrationInterface {
  name = 'ClickBatchFunction1763771000000';

  async up(q: QueryRunner): Promise<void> {
    await applyFunctions(q, ['click_insert_visits']);
  }

  async down(q: QueryRunner): Promise<void> {
    // jsonb before issue 14, json since.
    await q.query(`DROP FUNCTION IF EXISTS click_insert_visits(jsonb)`);
    await q.query(`DROP FUNCTION IF EXISTS click_insert_visits(json)`);
  }
}
