import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The template an affiliate network was made from (issue 11): its view then gives the exact
 * postback URL that network should call, with the network's own macros (`{aff_sub}`, `{sub1}`...).
 */
export class NetworkTemplate1796900000000 implements MigrationInterface {
  name = 'NetworkTemplate1796900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE affiliate_networks ADD COLUMN template text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE affiliate_networks DROP COLUMN template`);
  }
}
