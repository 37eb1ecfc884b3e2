import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { startTestApp, TestApp } from '../support/test-app';

const METRICS_KEY = 'metrics-key-for-the-test-0123456789';

/** SPEC §9 / issue 15: liveness and readiness, /metrics behind a key, slow clients cut. */
describe('operations: health, metrics key, slow clients', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ METRICS_KEY });
  });
  after(() => t.close());

  it('answers /health, /health/live and /health/ready', async () => {
    assert.deepEqual((await t.http().get('/health')).body, { status: 'ok', db: 'up' });
    const live = await t.http().get('/health/live');
    assert.equal(live.status, 200);
    assert.deepEqual(live.body, { status: 'ok' });
    const ready = await t.http().get('/health/ready');
    assert.equal(ready.status, 200);
    assert.deepEqual(ready.body, { status: 'ok', db: 'up' });
  });

  it('keeps /metrics for the METRICS_KEY bearer only', async () => {
    const none = await t.http().get('/metrics');
    assert.equal(none.status, 401);
    assert.equal(none.body.code, 'UNAUTHORIZED');
    assert.equal((await t.http().get('/metrics').set('authorization', 'Bearer wrong-key-of-the-same-size-012345')).status, 401);
    assert.equal((await t.http().get('/metrics').set(t.auth)).status, 401, 'an API key is not the metrics key');
    const ok = await t.http().get('/metrics').set('authorization', `Bearer ${METRICS_KEY}`);
    assert.equal(ok.status, 200);
    assert.match(ok.text, /^# HELP /m);
  });

  it('counts conversion calls by outcome, rate-limit refusals and database pool use', async () => {
    await t.http().get('/postback?clickid=0123456789ab0123456789ab&txid=M-1');
    await t.http().get('/postback?payout=1');
    await t.http().get('/a.gif?h=0123456789ab0123456789ac');
    const text = (await t.http().get('/metrics').set('authorization', `Bearer ${METRICS_KEY}`)).text;
    assert.match(text, /tracker_conversion_calls_total\{endpoint="generic",outcome="unattributed"\} 1/);
    assert.match(text, /tracker_conversion_calls_total\{endpoint="generic",outcome="rejected"\} 1/);
    assert.match(text, /tracker_conversion_calls_total\{endpoint="pixel",outcome="unattributed"\} 1/);
    assert.match(text, /# TYPE tracker_rate_limited_total counter/);
    assert.match(text, /tracker_db_pool_connections\{state="total"\} [1-9]/);
    assert.match(text, /tracker_db_pool_connections\{state="waiting"\} 0/);
  });

  it('closes a connection that has not sent its headers within 20 s', { timeout: 60_000 }, async () => {
    const { port } = new URL(t.url);
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    socket.write('GET /health HTTP/1.1\r\nHost: x\r\n'); // and never the blank line
    const began = Date.now();
    let answer = '';
    socket.on('data', (d) => (answer += d));
    await new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const held = Date.now() - began;
    assert.ok(held >= 19_000 && held < 40_000, `closed after ${held} ms`);
    assert.match(answer, /^$|^HTTP\/1\.1 408/, 'no answer but a 408 at most');
  });
});
