import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OutboxCommitWaker } from '../../src/modules/outbound/outbox-commit.waker';
import { OutboxDispatcher } from '../../src/modules/outbound/outbox.dispatcher';
import { OutboxRepository } from '../../src/modules/outbound/outbox.repository';
import { OutboxWriter } from '../../src/modules/outbound/outbox.writer';
import { changeConversion, createConversion, outboxRows, TestReceiver } from '../support/outbound.fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { fieldsOf } from '../support/error-fields';

/** Issue 13 item 8 and issue 15 items 6 and 8: receivers that say stop, cut attempts, deleted subscriptions. */
describe('outbox lifecycle', () => {
  let t: TestApp;
  let writer: OutboxWriter;
  let dispatcher: OutboxDispatcher;
  const receivers: TestReceiver[] = [];
  let n = 0;

  const receiver = async () => {
    const rx = await TestReceiver.start();
    receivers.push(rx);
    return rx;
  };
  const subscribe = async (receiversBody: object[]) => {
    const campaignId = `life-${++n}`;
    const r = await t
      .http()
      .post('/api/v1/subscriptions')
      .set(t.auth)
      .send({ filter: { campaignIds: [campaignId] }, receivers: receiversBody });
    assert.equal(r.status, 201, r.text);
    return { id: r.body.id as string, campaignId };
  };
  const statusesOf = async (conversionId: string) => (await outboxRows(t.db, conversionId)).map((r) => `${r.target.split(':').pop()}:${r.status}`);

  before(async () => {
    t = await startTestApp({ OUTBOX_ENABLED: 'false' });
    writer = t.app.get(OutboxWriter);
    dispatcher = t.app.get(OutboxDispatcher);
  });
  afterEach(async () => {
    for (const rx of receivers.splice(0)) {
      rx.release();
      await rx.close();
    }
    await t.db.query(`UPDATE outbox_messages SET status = 'dead' WHERE status IN ('pending', 'paused')`);
  });
  after(() => t?.close());

  it('a 410 disables that receiver, visibly; its messages wait paused and go out, in order, once it is re-enabled', async () => {
    const gone = await receiver();
    const fine = await receiver();
    gone.reply = () => ({ status: 410, body: 'gone' });
    const sub = await subscribe([
      { httpMethod: 'GET', receiverUrl: `${gone.url}/gone?s=\${status}&n=\${sequenceNumber}` },
      { httpMethod: 'GET', receiverUrl: `${fine.url}/fine` },
    ]);
    const first = await createConversion(t.db, writer, { campaignId: sub.campaignId, status: 'pending' });
    await dispatcher.drain();
    assert.deepEqual(await statusesOf(first), ['0:paused', '1:delivered']);
    const view = await t.http().get(`/api/v1/subscriptions/${sub.id}`).set(t.auth);
    assert.equal(view.body.receivers[0].enabled, false);
    assert.match(view.body.receivers[0].disabledReason, /410/);
    assert.ok(view.body.receivers[0].disabledAt);
    assert.equal(view.body.receivers[1].enabled, true);
    const log = await t.http().get(`/api/v1/deliveries?conversionId=${first}&status=failed`).set(t.auth);
    assert.deepEqual(
      log.body.items.map((a: { statusCode: number; messageStatus: string }) => [a.statusCode, a.messageStatus]),
      [[410, 'paused']],
    );

    // Changes after the 410 queue paused for the disabled receiver; nothing reaches it.
    await changeConversion(t.db, writer, first, 'approved');
    const second = await createConversion(t.db, writer, { campaignId: sub.campaignId });
    await dispatcher.drain();
    assert.deepEqual(await statusesOf(first), ['0:paused', '0:paused', '1:delivered', '1:delivered']);
    assert.deepEqual(await statusesOf(second), ['0:paused', '1:delivered']);
    assert.equal(gone.received.length, 1, 'a disabled receiver is not called');
    const paused = await t.http().get(`/api/v1/deliveries/messages?status=paused&subscriptionId=${sub.id}`).set(t.auth);
    assert.equal(paused.body.items.length, 3);
    const metrics = (await t.http().get('/metrics')).text;
    assert.match(metrics, /tracker_outbox_depth\{status="paused"\} [3-9]/, 'paused messages count in the outbox depth');
    assert.match(metrics, /tracker_outbox_delivery_failures_total [1-9]/);
    assert.match(metrics, /tracker_outbox_oldest_pending_seconds \d/);
    assert.match(metrics, /tracker_outbox_dead_messages_total \d/);

    // A PUT that keeps the receiver keeps it disabled: re-enabling is explicit.
    const put = await t
      .http()
      .put(`/api/v1/subscriptions/${sub.id}`)
      .set(t.auth)
      .send({
        filter: { campaignIds: [sub.campaignId] },
        receivers: [
          { httpMethod: 'GET', receiverUrl: `${gone.url}/gone?s=\${status}&n=\${sequenceNumber}` },
          { httpMethod: 'GET', receiverUrl: `${fine.url}/fine` },
        ],
      });
    assert.equal(put.status, 200, put.text);
    assert.equal(put.body.receivers[0].enabled, false);

    gone.reply = () => ({ status: 200 });
    assert.equal((await t.http().post(`/api/v1/subscriptions/${sub.id}/receivers/7/enable`).set(t.auth)).status, 404);
    assert.equal((await t.http().post(`/api/v1/subscriptions/${sub.id}/receivers/x/enable`).set(t.auth)).status, 400);
    const enabled = await t.http().post(`/api/v1/subscriptions/${sub.id}/receivers/0/enable`).set(t.auth);
    assert.equal(enabled.status, 200, enabled.text);
    assert.equal(enabled.body.receivers[0].enabled, true);
    assert.equal(enabled.body.resumedMessages, 3);
    await dispatcher.drain();
    assert.deepEqual(await statusesOf(first), ['0:delivered', '0:delivered', '1:delivered', '1:delivered']);
    const calls = gone.received.slice(1).map((r) => new URL(gone.url + r.url).searchParams);
    const ofFirst = calls.filter((q) => q.get('s') !== null).map((q) => `${q.get('s')}#${q.get('n')}`);
    assert.ok(ofFirst.indexOf('pending#1') < ofFirst.indexOf('approved#2'), `in order per conversion: ${ofFirst.join(', ')}`);
    assert.equal(gone.received.length, 4, 'the 410 message and the two queued behind it, once each, plus the other conversion');
  });

  it('a 410 from a traffic source postback is a plain failure (no receiver to disable)', async () => {
    const rx = await receiver();
    rx.reply = () => ({ status: 410 });
    const ts = await t
      .http()
      .post('/api/v1/traffic-sources')
      .set(t.auth)
      .send({ name: `ts-410-${++n}`, postbackUrl: `${rx.url}/ts?cid={external_id}` });
    assert.equal(ts.status, 201, ts.text);
    const id = await createConversion(t.db, writer, { campaignId: `none-${n}`, trafficSourceId: ts.body.id, externalId: 'ext-1' });
    await dispatcher.drain();
    const [row] = await outboxRows(t.db, id);
    assert.equal(row.status, 'pending', 'retried later, as any failure');
  });

  it('a deleted subscription’s queued messages are cancelled, visibly, and never sent', async () => {
    const rx = await receiver();
    rx.reply = () => ({ status: 503 });
    const sub = await subscribe([{ httpMethod: 'GET', receiverUrl: `${rx.url}/del` }]);
    const a = await createConversion(t.db, writer, { campaignId: sub.campaignId });
    await dispatcher.drain(); // one failed attempt: the message waits for its retry
    const b = await createConversion(t.db, writer, { campaignId: sub.campaignId });
    assert.equal((await t.http().delete(`/api/v1/subscriptions/${sub.id}`).set(t.auth)).status, 204);
    assert.deepEqual(await statusesOf(a), ['0:cancelled']);
    assert.deepEqual(await statusesOf(b), ['0:cancelled']);
    await t.db.query(`UPDATE outbox_messages SET next_attempt_at = now() WHERE subscription_id = $1`, [sub.id]);
    assert.equal(await dispatcher.drain(), 0);
    assert.equal(rx.received.length, 1);
    const cancelled = await t.http().get(`/api/v1/deliveries/messages?status=cancelled&subscriptionId=${sub.id}`).set(t.auth);
    assert.equal(cancelled.status, 200, cancelled.text);
    assert.equal(cancelled.body.items.length, 2);
    assert.equal(cancelled.body.items[0].lastError, 'the subscription was deleted');
    const archived = await t.http().get(`/api/v1/subscriptions/${sub.id}`).set(t.auth);
    assert.ok(archived.body.archivedAt, 'kept, archived, as the owner of its log');
  });

  it('a dispatcher that starts marks the attempts a stopped one left as interrupted', async () => {
    const rx = await receiver();
    rx.reply = () => 'hang';
    const sub = await subscribe([{ httpMethod: 'GET', receiverUrl: `${rx.url}/cut` }]);
    const id = await createConversion(t.db, writer, { campaignId: sub.campaignId });
    const first = new OutboxDispatcher({ ...t.config, outboxEnabled: true }, t.app.get(OutboxRepository), t.app.get(OutboxCommitWaker));
    first.start();
    await rx.waitFor((r) => r.path === '/cut');
    await first.stop({ abandon: true });
    const [message] = await outboxRows(t.db, id);
    const before = await t.db.query(`SELECT outcome FROM delivery_attempts WHERE message_id = $1`, [message.id]);
    assert.deepEqual(before, [{ outcome: 'sending' }]);
    // The lease runs out; the message is not taken yet (it is not due), but a starting dispatcher sweeps.
    await t.db.query(`UPDATE outbox_messages SET locked_until = now() - interval '1 second', next_attempt_at = now() + interval '1 hour' WHERE id = $1`, [
      message.id,
    ]);
    assert.equal(await t.app.get(OutboxRepository).markInterrupted(t.db), 1);
    const after = await t.http().get(`/api/v1/deliveries?messageId=${message.id}`).set(t.auth);
    assert.deepEqual(
      after.body.items.map((a: { status: string; error: string }) => [a.status, a.error]),
      [['interrupted', 'the process stopped before the answer was recorded']],
    );
    const filtered = await t.http().get(`/api/v1/deliveries?status=interrupted&messageId=${message.id}`).set(t.auth);
    assert.equal(filtered.body.items.length, 1);
  });

  it('a tradetracker receiver sends TradeTracker’s conversion call (issue 13)', async () => {
    const rx = await receiver();
    const sub = await subscribe([{ httpMethod: 'GET', receiverFormat: 'tradetracker', receiverUrl: `${rx.url}/tt?cid=12345&pid=1` }]);
    const refused = await t
      .http()
      .post('/api/v1/subscriptions')
      .set(t.auth)
      .send({ receivers: [{ httpMethod: 'GET', receiverFormat: 'tradetracker', receiverUrl: `${rx.url}/tt?cid=12345` }] });
    assert.equal(refused.status, 400, refused.text);
    assert.deepEqual(Object.keys(fieldsOf(refused.body)), ['receivers.0.receiverUrl']);
    const id = await createConversion(t.db, writer, {
      campaignId: sub.campaignId,
      transactionId: 'ORD-1001',
      payout: '129.99',
      currency: 'EUR',
      externalId: '0::12345::ref::::1405418672',
    });
    await dispatcher.drain();
    assert.deepEqual(await statusesOf(id), ['0:delivered']);
    assert.equal(
      rx.received[0].url,
      '/tt?cid=12345&pid=1&tid=ORD-1001&tam=129.99&currency=EUR&qty=1&descrMerchant=ORD-1001&event=sales&data=0::12345::ref::::1405418672',
    );
  });
});
