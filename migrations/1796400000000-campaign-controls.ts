import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The buyer's controls (SPEC §3): campaign rules, the rule and enrichment a visit records, the
 * shared cap counters, and cost updates.
 *
 * - `campaigns.rules`: the ordered rules, as validated (`when` criteria and destinations).
 * - `visits.rule_index` / `rule_name`: the rule that picked the destination (null: none matched);
 *   `bot_name`: which bot (null for humans); `datacenter`: the cloud provider whose published range
 *   holds the address (null: none).
 * - `cap_counters`: clicks counted per capped destination and period, summed by every process
 *   (docs/decisions.md, "Caps").
 * - `cost_updates`: `POST /api/v1/costs`, one row per update made.
 */
export class CampaignControls1796400000000 implements MigrationInterface {
  name = 'CampaignControls1796400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE campaigns ADD COLUMN rules jsonb NOT NULL DEFAULT '[]'`);
    await q.query(`ALTER TABLE visits ADD COLUMN rule_index smallint, ADD COLUMN rule_name text, ADD COLUMN bot_name text, ADD COLUMN datacenter text`);
    await q.query(`
      CREATE TABLE cap_counters (
        cap_key text NOT NULL,
        period text NOT NULL,
        clicks bigint NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_cap_counters PRIMARY KEY (cap_key, period)
      )`);
    await q.query(`
      CREATE TABLE cost_updates (
        id text PRIMARY KEY,
        campaign_id text NOT NULL,
        time_from timestamptz NOT NULL,
        time_to timestamptz NOT NULL,
        amount numeric NOT NULL,
        currency text NOT NULL,
        visits bigint NOT NULL,
        api_key_name text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_cost_updates_campaign ON cost_updates (campaign_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS cost_updates`);
    await q.query(`DROP TABLE IF EXISTS cap_counters`);
    await q.query(
      `ALTER TABLE visits DROP COLUMN IF EXISTS rule_index, DROP COLUMN IF EXISTS rule_name, DROP COLUMN IF EXISTS bot_name, DROP COLUMN IF EXISTS datacenter`,
    );
    await q.query(`ALTER TABLE campaigns DROP COLUMN IF EXISTS rules`);
  }
}
