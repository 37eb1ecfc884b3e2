import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Late attribution (issue 13.7): when the click batch attributes a conversion that arrived before
 * its click, it applies the offer's payout terms and records here, in the click's transaction,
 * that the conversion's messages are due. The announcer (LateAttributionAnnouncer) writes them
 * into the outbox and deletes the row, in one transaction, so none is lost or written twice.
 */
export class LateAttribution1796600000000 implements MigrationInterface {
  name = 'LateAttribution1796600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE conversion_attributions (
        -- No foreign key: a conversion deleted meanwhile is simply not announced (the announcer joins).
        conversion_id text PRIMARY KEY,
        created_at timestamptz NOT NULL DEFAULT now(),
        -- The network the conversion had before (the only fact it had that the visit may not change).
        previous_network_id text,
        -- Whether the offer's terms changed the payout: then every subscriber hears of it again.
        payout_changed boolean NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE conversion_attributions`);
  }
}
