import type { MigrationInterface } from 'typeorm';

/**
 * Once replaced conversion_insert_new with a linear version (see the history of
 * `functions/conversion_insert_new.sql`); the function files are now applied by `migrate()`
 * whenever their text changes, so this migration is kept, empty, for databases that recorded it.
 */
export class ConversionInsertLinear1763790000000 implements MigrationInterface {
  name = 'ConversionInsertLinear1763790000000';

  async up(): Promise<void> {}

  async down(): Promise<void> {}
}
