import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mintId } from '../../src/common/ids';
import { LOGS_RETENTION_LOCK, LogRetention } from '../../src/modules/outbound/log-retention';
import { startTestApp, TestApp } from '../support/test-app';

/** SPEC §9 RETENTION_LOGS_DAYS: inbound log, delivery attempts and delivered outbox messages. */
describe('logs retention', () => {
  let t: TestApp;
  const DAY = 86_400_000;

  before(async () => {
    t = await startTestApp({ OUTBOX_ENABLED: 'false' });
  });
  after(() => t?.close());

  const message = async (status: string, ageDays: number) => {
    const id = mintId(Date.now() - ageDays * DAY);
    const at = new Date(Date.now() - ageDays * DAY).toISOString();
    await t.db.query(
      `INSERT INTO outbox_messages (id, created_at, conversion_id, kind, target, sequence_number, method, url, status, attempts,
         next_attempt_at, delivered_at, updated_at)
       VALUES ($1, $2, 'conv-ret', 'subscription', 'sub:ret:0', 1, 'GET', 'http://rx.example/', $3, 1, $2,
               CASE WHEN $3 = 'delivered' THEN $2::timestamptz END, $2)`,
      [id, at, status],
    );
    await t.db.query(`INSERT INTO delivery_attempts (id, created_at, message_id, attempt, outcome) VALUES ($1, $2, $3, 1, $4)`, [
      mintId(Date.now() - ageDays * DAY),
      at,
      id,
      status === 'delivered' ? 'delivered' : 'failed',
    ]);
    return id;
  };
  const postback = async (ageDays: number) => {
    const id = mintId(Date.now() - ageDays * DAY);
    await t.db.query(
      `INSERT INTO postbacks (id, created_at, endpoint, method, url, outcome) VALUES ($1, $2, '/postback', 'GET', '/postback?x=1', 'rejected')`,
      [id, new Date(Date.now() - ageDays * DAY).toISOString()],
    );
    return id;
  };
  const exists = async (table: string, id: string) => (await t.db.query(`SELECT 1 FROM ${table} WHERE id = $1`, [id])).length === 1;
  const attemptsOf = async (id: string) => (await t.db.query(`SELECT count(*)::int AS n FROM delivery_attempts WHERE message_id = $1`, [id]))[0].n as number;

  it('deletes what is older than the limit and keeps the rest; undelivered messages stay', async () => {
    const oldDelivered = await message('delivered', 100);
    const newDelivered = await message('delivered', 10);
    const oldDead = await message('dead', 100);
    const oldPending = await message('pending', 100);
    const oldLog = await postback(100);
    const newLog = await postback(10);
    const result = await t.app.get(LogRetention).runOnce(new Date(), 90);
    assert.equal(result.ran, true);
    assert.ok(result.messages >= 1 && result.inboundLog >= 1 && result.attempts >= 3, JSON.stringify(result));

    assert.equal(await exists('outbox_messages', oldDelivered), false, 'an old delivered message goes');
    assert.equal(await attemptsOf(oldDelivered), 0);
    assert.equal(await exists('outbox_messages', newDelivered), true);
    assert.equal(await attemptsOf(newDelivered), 1);
    for (const id of [oldDead, oldPending]) {
      assert.equal(await exists('outbox_messages', id), true, 'an undelivered message is kept');
      assert.equal(await attemptsOf(id), 0, 'its old attempts go');
    }
    assert.equal(await exists('postbacks', oldLog), false);
    assert.equal(await exists('postbacks', newLog), true);
    assert.deepEqual(await t.app.get(LogRetention).runOnce(new Date(), 0), { ran: false, inboundLog: 0, attempts: 0, messages: 0 }, '0 keeps for ever');
  });

  // PGlite is one session for every connection, so an advisory lock cannot exclude anyone there.
  it('one process at a time: a held lock means this pass does nothing', { skip: !process.env.DATABASE_URL && 'embedded: one session' }, async () => {
    const old = await postback(200);
    const holder = t.db.createQueryRunner();
    await holder.connect();
    try {
      await holder.query(`SELECT pg_advisory_lock($1)`, [LOGS_RETENTION_LOCK]);
      assert.equal((await t.app.get(LogRetention).runOnce(new Date(), 90)).ran, false);
      assert.equal(await exists('postbacks', old), true);
      await holder.query(`SELECT pg_advisory_unlock($1)`, [LOGS_RETENTION_LOCK]);
    } finally {
      await holder.release();
    }
    assert.equal((await t.app.get(LogRetention).runOnce(new Date(), 90)).ran, true);
    assert.equal(await exists('postbacks', old), false);
  });
});
