import type { MigrationInterface, QueryRunner } from 'typeorm';
import { applyFunctions } from './functions';

/**
 * The hot statements of the conversion intake (SPEC §6) as PL/pgSQL functions: the session keeps
 * their plans, which spares planning a three-insert statement with some forty parameters on every
 * postback (most of the database's work for one call, as measured), on PostgreSQL and on PGlite
 * alike. `functions/conversion_insert_new.sql` and `functions/conversion_click_context.sql`.
 */
export class ConversionFunctions1763780000000 implements MigrationInterface {
  name = 'ConversionFunctions1763780000000';

  async up(q: QueryRunner): Promise<void> {
    await applyFunctions(q, ['conversion_insert_new', 'conversion_click_context']);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS conversion_insert_new(jsonb)`);
    await q.query(`DROP FUNCTION IF EXISTS conversion_click_context(text[])`);
  }
}
