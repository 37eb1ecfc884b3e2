import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Webhook } from 'standardwebhooks';
import { createApp } from '../../src/app.factory';
import type { AppConfig } from '../../src/config/app-config';
import { OutboxCommitWaker } from '../../src/modules/outbound/outbox-commit.waker';
import { DISPATCH, OutboxDispatcher } from '../../src/modules/outbound/outbox.dispatcher';
import { OutboxRepository } from '../../src/modules/outbound/outbox.repository';
import { OutboxWriter } from '../../src/modules/outbound/outbox.writer';
import { MAX_ATTEMPTS } from '../../src/modules/outbound/retry.policy';
import { changeConversion, createConversion, makeAllDue, newSecret, outboxRows, type Reply, TestReceiver } from '../support/outbound.fixtures';
import { startTestApp, TestApp } from '../support/test-app';

describe('outbox delivery', () => {
  let t: TestApp;
  let writer: OutboxWriter;
  let dispatcher: OutboxDispatcher;
  const receivers: TestReceiver[] = [];
  const dispatchers: OutboxDispatcher[] = [];
  let n = 0;

  const receiver = async () => {
    const rx = await TestReceiver.start();
    receivers.push(rx);
    return rx;
  };
  /** Another dispatcher on the same database, as a second process would run. */
  const newDispatcher = (overrides: Partial<AppConfig> = {}) => {
    const d = new OutboxDispatcher({ ...t.config, ...overrides }, t.app.get(OutboxRepository), t.app.get(OutboxCommitWaker));
    dispatchers.push(d);
    return d;
  };
  /** A subscription of its own campaign, so each test sees only its own conversions. */
  const subscribe = async (receiversBody: object[], extra: object = {}) => {
    const campaignId = `camp-${++n}`;
    const r = await t
      .http()
      .post('/api/v1/subscriptions')
      .set(t.auth)
      .send({ filter: { campaignIds: [campaignId] }, receivers: receiversBody, ...extra });
    assert.equal(r.status, 201, r.text);
    return { id: r.body.id as string, campaignId };
  };
  const messageOf = async (conversionId: string) => (await outboxRows(t.db, conversionId))[0];

  before(async () => {
    t = await startTestApp({ OUTBOX_ENABLED: 'false' });
    writer = t.app.get(OutboxWriter);
    dispatcher = t.app.get(OutboxDispatcher);
  });
  afterEach(async () => {
    for (const d of dispatchers.splice(0)) await d.stop({ abandon: true });
    for (const rx of receivers.splice(0)) {
      rx.release();
      await rx.close();
    }
    // Nothing one test leaves behind may be sent during the next.
    await t.db.query(`UPDATE outbox_messages SET status = 'dead' WHERE status = 'pending'`);
  });
  after(() => t?.close());

  it('delivers GET and signed POST messages; the signatures verify; the log lists each attempt', async () => {
    const rx = await receiver();
    const secret = newSecret();
    const sub = await subscribe(
      [
        { httpMethod: 'GET', receiverUrl: `${rx.url}/get?o=\${transactionId}&v=\${payout}&token=abc` },
        { httpMethod: 'POST', receiverUrl: `${rx.url}/post`, receiverFormat: 'json', receiverBody: '{"orderNum": "${transactionId}", "status": "${status}"}' },
      ],
      { secret },
    );
    const id = await createConversion(t.db, writer, { campaignId: sub.campaignId, transactionId: 'T-1', payout: '92.40' });
    assert.equal(await dispatcher.drain(), 2);

    const rows = await outboxRows(t.db, id);
    assert.deepEqual(
      rows.map((r) => r.status),
      ['delivered', 'delivered'],
    );
    const get = rx.received.find((r) => r.path === '/get')!;
    const post = rx.received.find((r) => r.path === '/post')!;
    assert.equal(get.method, 'GET');
    assert.equal(new URL(rx.url + get.url).searchParams.get('v'), '92.4');
    assert.deepEqual(JSON.parse(post.body), { orderNum: 'T-1', status: 'approved' });
    assert.equal(post.headers['content-type'], 'application/json; charset=utf-8');
    for (const r of [get, post]) {
      const headers = r.headers as Record<string, string>;
      assert.doesNotThrow(() => new Webhook(secret).verify(r.body, headers), 'standardwebhooks verifies');
      assert.ok(
        rows.some((m) => m.id === headers['webhook-id']),
        'webhook-id is the message id',
      );
      assert.ok(Math.abs(Number(headers['webhook-timestamp']) - Date.now() / 1000) < 60);
    }

    const log = await t.http().get(`/api/v1/deliveries?conversionId=${id}`).set(t.auth);
    assert.equal(log.status, 200, log.text);
    assert.equal(log.body.items.length, 2);
    for (const item of log.body.items) {
      assert.equal(item.status, 'delivered');
      assert.equal(item.messageStatus, 'delivered');
      assert.equal(item.statusCode, 200);
      assert.equal(item.attempt, 1);
      assert.equal(item.conversionId, id);
      assert.equal(typeof item.latencyMs, 'number');
      assert.equal(item.responseSnippet, 'ok');
    }
    const getItem = log.body.items.find((i: { url: string }) => i.url.includes('/get'));
    assert.match(getItem.url, /token=\[redacted\]/, 'no secret in the log');
    const detail = await t.http().get(`/api/v1/deliveries/messages/${getItem.messageId}`).set(t.auth);
    assert.equal(detail.status, 200);
    assert.equal(detail.body.status, 'delivered');
    assert.equal(detail.body.signed, true);
    assert.equal(detail.body.attemptLog.length, 1);
    assert.equal((await t.http().get(`/api/v1/deliveries?status=failed&conversionId=${id}`).set(t.auth)).body.items.length, 0);
    assert.equal((await t.http().get('/api/v1/deliveries?status=nope').set(t.auth)).status, 400);
  });

  it('keeps the order per conversion and receiver: a status change waits for the earlier message', async () => {
    const rx = await receiver();
    let fail = true;
    rx.reply = () => (fail ? { status: 500, body: 'down' } : { status: 200 });
    const sub = await subscribe([{ httpMethod: 'GET', receiverUrl: `${rx.url}/ord?s=\${status}&n=\${sequenceNumber}` }]);
    const id = await createConversion(t.db, writer, { campaignId: sub.campaignId, status: 'pending' });
    await changeConversion(t.db, writer, id, 'approved');

    assert.equal(await dispatcher.runOnce(), 1, 'only the first message is eligible');
    assert.deepEqual(
      rx.received.map((r) => r.url),
      ['/ord?s=pending&n=1'],
    );
    const [m1, m2] = await outboxRows(t.db, id);
    assert.equal(m2.next_attempt_at.getTime(), m1.next_attempt_at.getTime(), 'the later message is held back to the retry of the first');
    assert.ok(m1.next_attempt_at.getTime() > Date.now());
    await makeAllDue(t.db);
    await t.db.query(`UPDATE outbox_messages SET next_attempt_at = now() + interval '1 hour' WHERE conversion_id = $1 AND sequence_number = 1`, [id]);
    assert.equal(await dispatcher.runOnce(), 0, 'the status change is not sent while the first message is undelivered');

    fail = false;
    await makeAllDue(t.db);
    await dispatcher.drain();
    assert.deepEqual(
      rx.received.map((r) => r.url),
      ['/ord?s=pending&n=1', '/ord?s=pending&n=1', '/ord?s=approved&n=2'],
    );
    const log = await t.http().get(`/api/v1/deliveries?conversionId=${id}`).set(t.auth);
    assert.deepEqual(
      log.body.items
        .map((i: { sequenceNumber: number; attempt: number; status: string; statusCode: number }) => [i.sequenceNumber, i.attempt, i.status, i.statusCode])
        .reverse(),
      [
        [1, 1, 'failed', 500],
        [1, 2, 'delivered', 200],
        [2, 1, 'delivered', 200],
      ],
    );
  });

  it('retries a 500 with backoff, honours Retry-After, and never follows a redirect', async () => {
    const rx = await receiver();
    rx.reply = (r): Reply =>
      r.path === '/busy'
        ? { status: 503, headers: { 'retry-after': '120' } }
        : r.path === '/moved'
          ? { status: 302, headers: { location: `${rx.url}/elsewhere` } }
          : { status: 500, body: 'boom' };
    const sub = await subscribe([
      { httpMethod: 'GET', receiverUrl: `${rx.url}/err` },
      { httpMethod: 'GET', receiverUrl: `${rx.url}/busy` },
      { httpMethod: 'GET', receiverUrl: `${rx.url}/moved` },
    ]);
    const id = await createConversion(t.db, writer, { campaignId: sub.campaignId });
    assert.equal(await dispatcher.runOnce(), 3);
    const rows: Array<{ url: string; status: string; attempts: number; wait: number; last_error: string }> = await t.db.query(
      `SELECT url, status, attempts, EXTRACT(EPOCH FROM next_attempt_at - updated_at)::float8 AS wait, last_error
         FROM outbox_messages WHERE conversion_id = $1 ORDER BY receiver_index`,
      [id],
    );
    for (const r of rows) {
      assert.equal(r.status, 'pending');
      assert.equal(r.attempts, 1);
    }
    assert.ok(rows[0].wait >= 2.5 && rows[0].wait <= 5, `first retry of a 500 after 2.5-5 s, not ${rows[0].wait}`);
    assert.ok(rows[1].wait >= 119.9, `Retry-After: 120 is honoured, not ${rows[1].wait}`);
    assert.equal(rows[2].last_error, 'HTTP 302');
    assert.equal(
      rx.count((r) => r.path === '/elsewhere'),
      0,
      'the redirect is not followed',
    );
  });

  it('a receiver that is down and comes back gets every message, with the same message ids', async () => {
    const rx = await receiver();
    const secret = newSecret();
    const sub = await subscribe([{ httpMethod: 'POST', receiverUrl: `${rx.url}/back`, receiverFormat: 'json' }], { secret });
    await rx.close();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await createConversion(t.db, writer, { campaignId: sub.campaignId }));
    assert.equal(await dispatcher.runOnce(), 5);
    const failed = await t.http().get(`/api/v1/deliveries?status=failed&subscriptionId=${sub.id}`).set(t.auth);
    assert.equal(failed.body.items.length, 5);
    assert.ok(
      failed.body.items.every((i: { error: string; statusCode: null }) => i.error === 'ECONNREFUSED' && i.statusCode === null),
      JSON.stringify(failed.body.items[0]),
    );

    await rx.listen();
    await makeAllDue(t.db);
    await dispatcher.drain();
    const messages = (await Promise.all(ids.map((id) => outboxRows(t.db, id)))).flat();
    assert.deepEqual(
      messages.map((m) => m.status),
      Array(5).fill('delivered'),
    );
    assert.deepEqual(rx.received.map((r) => r.headers['webhook-id']).sort(), messages.map((m) => m.id).sort());
    for (const r of rx.received) new Webhook(secret).verify(r.body, r.headers as Record<string, string>);
  });

  it('a slow receiver does not hold up another', async () => {
    const slow = await receiver();
    const fast = await receiver();
    slow.reply = () => 'hang';
    const sub = await subscribe([
      { httpMethod: 'GET', receiverUrl: `${slow.url}/slow?c=\${conversionId}` },
      { httpMethod: 'GET', receiverUrl: `${fast.url}/fast?c=\${conversionId}` },
    ]);
    // More conversions than one receiver may have requests open.
    const count = DISPATCH.perTargetInFlight + 8;
    for (let i = 0; i < count; i++) await createConversion(t.db, writer, { campaignId: sub.campaignId });
    const d = newDispatcher();
    d.start();
    await fast.waitForCount(() => true, count, 5000);
    assert.ok(slow.count() <= DISPATCH.perTargetInFlight, `the slow receiver holds at most ${DISPATCH.perTargetInFlight} sends, not ${slow.count()}`);
    assert.ok(slow.count() >= 1);
    slow.release();
    await d.stop();
  });

  it('after a stop mid-delivery the message is sent again, with the same id, once the lease expires', async () => {
    const rx = await receiver();
    rx.reply = () => 'hang';
    const secret = newSecret();
    const sub = await subscribe([{ httpMethod: 'POST', receiverUrl: `${rx.url}/crash`, receiverFormat: 'json' }], { secret });
    const id = await createConversion(t.db, writer, { campaignId: sub.campaignId });
    const first = newDispatcher();
    first.start();
    await rx.waitFor((r) => r.path === '/crash');
    await first.stop({ abandon: true }); // as a crash: nothing recorded
    const leased = await messageOf(id);
    assert.equal(leased.status, 'pending');
    assert.equal(leased.attempts, 1, 'the attempt counts from its claim');
    const sending = await t.http().get(`/api/v1/deliveries?conversionId=${id}`).set(t.auth);
    assert.deepEqual(
      sending.body.items.map((a: { status: string; attempt: number }) => [a.status, a.attempt]),
      [['sending', 1]],
      'the attempt was logged before the request went out',
    );
    assert.ok(leased.locked_until && new Date(leased.locked_until).getTime() > Date.now(), 'still leased');

    // On PostgreSQL a second app on the same database takes over; on PGlite (one in-memory
    // database per process) a second dispatcher does.
    const other = t.config.databaseUrl ? await createApp(t.config) : null;
    try {
      const second = other ? other.app.get(OutboxDispatcher) : newDispatcher();
      assert.equal(await second.runOnce(), 0, 'a leased message is not taken');
      // The lease running out, without waiting DISPATCH.leaseMs.
      await t.db.query(`UPDATE outbox_messages SET locked_until = now() - interval '1 second' WHERE id = $1`, [leased.id]);
      rx.reply = () => ({ status: 200 });
      await second.drain();
      assert.equal((await messageOf(id)).status, 'delivered');
      const seen = rx.received.filter((r) => r.path === '/crash');
      assert.equal(seen.length, 2, 'sent at most twice');
      assert.deepEqual(
        seen.map((r) => r.headers['webhook-id']),
        [leased.id, leased.id],
        'with the same message id',
      );
      for (const r of seen) new Webhook(secret).verify(r.body, r.headers as Record<string, string>);
      const log = await t.http().get(`/api/v1/deliveries?conversionId=${id}`).set(t.auth);
      assert.deepEqual(
        log.body.items.map((a: { status: string; attempt: number }) => [a.status, a.attempt]),
        [
          ['delivered', 2],
          ['interrupted', 1],
        ],
        'the cut attempt stays in the log as interrupted',
      );
    } finally {
      await other?.app.close();
    }
  });

  it('two dispatchers on one database never send a message twice, and keep the order', async () => {
    const rx = await receiver();
    const sub = await subscribe([
      { httpMethod: 'GET', receiverUrl: `${rx.url}/a?c=\${conversionId}&n=\${sequenceNumber}&m=\${messageId}` },
      { httpMethod: 'GET', receiverUrl: `${rx.url}/b?c=\${conversionId}&n=\${sequenceNumber}&m=\${messageId}` },
    ]);
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const id = await createConversion(t.db, writer, { campaignId: sub.campaignId, status: 'pending' });
      ids.push(id);
      if (i % 2 === 0) await changeConversion(t.db, writer, id, 'approved');
    }
    const [a, b] = [newDispatcher(), newDispatcher()];
    await Promise.all([a.drain(), b.drain(), a.drain(), b.drain()]);
    await Promise.all([a.drain(), b.drain()]);

    const rows = (await Promise.all(ids.map((id) => outboxRows(t.db, id)))).flat();
    assert.equal(rows.length, 120);
    assert.ok(rows.every((r) => r.status === 'delivered'));
    const sent = rx.received.map((r) => new URL(rx.url + r.url).searchParams.get('m'));
    assert.equal(sent.length, 120, 'each message once');
    assert.equal(new Set(sent).size, 120);
    const [{ attempts }] = await t.db.query(
      `SELECT count(*)::int AS attempts FROM delivery_attempts a JOIN outbox_messages m ON m.id = a.message_id WHERE m.subscription_id = $1`,
      [sub.id],
    );
    assert.equal(attempts, 120);
    for (const r of rx.received) {
      const q = new URL(rx.url + r.url).searchParams;
      if (q.get('n') !== '2') continue;
      const firstAt = rx.received.findIndex((x) => x.path === r.path && x.url.includes(`c=${q.get('c')}&n=1`));
      assert.ok(firstAt >= 0 && firstAt < rx.received.indexOf(r), 'message 2 after message 1');
    }
  });

  it('refuses a blocked address at send time without connecting', async () => {
    const rx = await receiver();
    const sub = await subscribe([{ httpMethod: 'GET', receiverUrl: `${rx.url}/private` }]);
    const id = await createConversion(t.db, writer, { campaignId: sub.campaignId });
    const strict = newDispatcher({ outboundAllowPrivate: false });
    assert.equal(await strict.runOnce(), 1);
    assert.equal(rx.count(), 0, 'no connection');
    assert.equal((await messageOf(id)).status, 'blocked');
    const log = await t.http().get(`/api/v1/deliveries?status=blocked&conversionId=${id}`).set(t.auth);
    assert.equal(log.body.items.length, 1);
    assert.match(log.body.items[0].error, /127\.0\.0\.1/);
  });

  it('a dead message is retried by hand, with the same message id', async () => {
    const rx = await receiver();
    rx.reply = () => ({ status: 500 });
    const sub = await subscribe([{ httpMethod: 'GET', receiverUrl: `${rx.url}/dead?m=\${messageId}` }]);
    const id = await createConversion(t.db, writer, { campaignId: sub.campaignId });
    const message = await messageOf(id);
    await t.db.query(`UPDATE outbox_messages SET attempts = $2 WHERE id = $1`, [message.id, MAX_ATTEMPTS - 1]);
    await dispatcher.runOnce();
    assert.equal((await messageOf(id)).status, 'dead', `dead after ${MAX_ATTEMPTS} attempts`);
    const dead = await t.http().get(`/api/v1/deliveries?status=dead&conversionId=${id}`).set(t.auth);
    assert.equal(dead.body.items.length, 1);
    const messages = await t.http().get(`/api/v1/deliveries/messages?status=dead&subscriptionId=${sub.id}`).set(t.auth);
    assert.deepEqual(
      messages.body.items.map((m: { id: string }) => m.id),
      [message.id],
    );

    rx.reply = () => ({ status: 200 });
    const retry = await t.http().post(`/api/v1/deliveries/${message.id}/retry`).set(t.auth);
    assert.equal(retry.status, 202, retry.text);
    assert.equal(retry.body.status, 'pending');
    await dispatcher.drain();
    assert.equal((await messageOf(id)).status, 'delivered');
    assert.deepEqual(
      rx.received.map((r) => new URL(rx.url + r.url).searchParams.get('m')),
      [message.id, message.id],
    );
    assert.equal((await t.http().post('/api/v1/deliveries/nope/retry').set(t.auth)).status, 404);
  });

  it('sends the first attempt right after the commit, without waiting for a poll', async () => {
    const rx = await receiver();
    const sub = await subscribe([{ httpMethod: 'GET', receiverUrl: `${rx.url}/soon` }]);
    const d = newDispatcher({ outboxPollMs: 60_000 });
    d.start();
    const started = Date.now();
    await createConversion(t.db, writer, { campaignId: sub.campaignId });
    const hit = await rx.waitFor((r) => r.path === '/soon', 5000, 'the first attempt within 5 s');
    assert.ok(hit.at - started < 2000, `woken by the commit: ${hit.at - started} ms`);
  });
});
