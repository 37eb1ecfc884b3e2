import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox's lifecycle (issues 13 and 15): an attempt is written as `sending` before its
 * request goes out and completed after, so a crash leaves an `interrupted` one; a message can be
 * `paused` (its receiver answered 410 and is disabled until re-enabled) or `cancelled` (its
 * subscription was deleted). Indexes for retention of attempts and delivered messages.
 */
export class OutboxLifecycle1796315499555 implements MigrationInterface {
  name = 'OutboxLifecycle1796315499555';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox_messages DROP CONSTRAINT IF EXISTS outbox_messages_status_check`);
    await q.query(
      `ALTER TABLE outbox_messages ADD CONSTRAINT outbox_messages_status_check
         CHECK (status IN ('pending', 'delivered', 'dead', 'blocked', 'paused', 'cancelled'))`,
    );
    await q.query(`ALTER TABLE delivery_attempts DROP CONSTRAINT IF EXISTS delivery_attempts_outcome_check`);
    await q.query(
      `ALTER TABLE delivery_attempts ADD CONSTRAINT delivery_attempts_outcome_check
         CHECK (outcome IN ('sending', 'interrupted', 'delivered', 'failed', 'blocked'))`,
    );
    // Leftover `sending` attempts are looked up at start and at claim; the index stays tiny.
    await q.query(`CREATE INDEX ix_delivery_attempts_sending ON delivery_attempts (message_id) WHERE outcome = 'sending'`);
    await q.query(`CREATE INDEX ix_outbox_receiver_open ON outbox_messages (subscription_id, receiver_index) WHERE status IN ('pending', 'paused')`);
    await q.query(`CREATE INDEX ix_outbox_delivered_at ON outbox_messages (delivered_at) WHERE status = 'delivered'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ix_outbox_delivered_at`);
    await q.query(`DROP INDEX IF EXISTS ix_outbox_receiver_open`);
    await q.query(`DROP INDEX IF EXISTS ix_delivery_attempts_sending`);
    await q.query(`UPDATE delivery_attempts SET outcome = 'failed' WHERE outcome IN ('sending', 'interrupted')`);
    await q.query(`UPDATE outbox_messages SET status = 'dead' WHERE status IN ('paused', 'cancelled')`);
    await q.query(`ALTER TABLE delivery_attempts DROP CONSTRAINT IF EXISTS delivery_attempts_outcome_check`);
    await q.query(`ALTER TABLE delivery_attempts ADD CONSTRAINT delivery_attempts_outcome_check CHECK (outcome IN ('delivered', 'failed', 'blocked'))`);
    await q.query(`ALTER TABLE outbox_messages DROP CONSTRAINT IF EXISTS outbox_messages_status_check`);
    await q.query(`ALTER TABLE outbox_messages ADD CONSTRAINT outbox_messages_status_check CHECK (status IN ('pending', 'delivered', 'dead', 'blocked'))`);
  }
}
