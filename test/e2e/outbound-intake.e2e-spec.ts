import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Webhook } from 'standardwebhooks';
import { newSecret, TestReceiver } from '../support/outbound.fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/** End to end: a click, a postback, and what the traffic source and a subscriber receive. */
describe('conversions out, from a real click and postback', () => {
  let t: TestApp;
  let rx: TestReceiver;
  const created = async (path: string, body: object) => {
    const r = await t.http().post(`/api/v1${path}`).set(t.auth).send(body);
    assert.equal(r.status, 201, `POST ${path}: ${r.text}`);
    return r.body;
  };
  const click = async (key: string, query: string) => {
    const r = await t.http().get(`/c/${key}${query}`);
    assert.equal(r.status, 302, r.text);
    return new URL(r.headers.location).searchParams.get('sub')!;
  };
  const postback = async (query: string) => {
    const r = await t.http().get(`/postback?${query}`);
    assert.equal(r.status, 200, r.text);
    return r.body as { status: string; conversionId: string };
  };

  before(async () => {
    rx = await TestReceiver.start();
    // The dispatcher runs as in production: polling, and woken by each commit.
    t = await startTestApp();
  });
  after(async () => {
    await rx?.close();
    await t?.close();
  });

  it('calls the traffic source once when approved, and each subscriber on every change', async () => {
    const ts = await created('/traffic-sources', {
      name: 'src',
      clickIdParam: 'clickid',
      postbackUrl: `${rx.url}/ts?clickid={external_id}&payout={payout}&status={status}&cv={conversion_id}`,
    });
    const offer = await created('/offers', {
      name: 'o',
      url: 'https://offer.example/?sub={click_id}',
      payout: { type: 'dynamic', amount: '5.00', currency: 'USD' },
    });
    const camp = await created('/campaigns', { key: 'out-e2e', name: 'out', trafficSourceId: ts.id, destinations: [{ offerId: offer.id, weight: 100 }] });
    const secret = newSecret();
    await created('/subscriptions', {
      filter: { campaignIds: [camp.id] },
      secret,
      receivers: [
        {
          httpMethod: 'POST',
          receiverUrl: `${rx.url}/sub`,
          receiverFormat: 'json',
          receiverBody: '{"tx": "${transactionId}", "status": "${status}", "n": ${sequenceNumber}}',
        },
      ],
    });

    const clickId = await click('out-e2e', '?clickid=EXT-42');
    const pending = await postback(`clickid=${clickId}&payout=12.30&txid=OUT-1&status=pending`);
    assert.equal(pending.status, 'accepted');
    const first = await rx.waitFor((r) => r.path === '/sub' && r.body.includes('"pending"'), 5000, 'the pending message within 5 s');
    new Webhook(secret).verify(first.body, first.headers as Record<string, string>);

    assert.equal((await postback(`clickid=${clickId}&payout=12.30&txid=OUT-1&status=approved`)).status, 'updated');
    const tsHit = await rx.waitFor((r) => r.path === '/ts', 5000, 'the traffic source postback');
    const q = new URL(rx.url + tsHit.url).searchParams;
    assert.equal(q.get('clickid'), 'EXT-42');
    assert.equal(q.get('payout'), '12.3');
    assert.equal(q.get('status'), 'approved');
    assert.equal(q.get('cv'), pending.conversionId);
    const second = await rx.waitFor((r) => r.path === '/sub' && r.body.includes('"approved"'), 5000, 'the approved message');
    assert.deepEqual(JSON.parse(second.body), { tx: 'OUT-1', status: 'approved', n: 2 });

    // A chargeback and a second approval: subscribers hear both, the traffic source nothing more.
    await postback(`clickid=${clickId}&txid=OUT-1&status=declined`);
    await postback(`clickid=${clickId}&txid=OUT-1&status=approved`);
    await rx.waitForCount((r) => r.path === '/sub', 4, 5000);
    const queued = await t.db.query(`SELECT kind, count(*)::int AS n FROM outbox_messages WHERE conversion_id = $1 GROUP BY kind ORDER BY kind`, [
      pending.conversionId,
    ]);
    assert.deepEqual(
      queued,
      [
        { kind: 'subscription', n: 4 },
        { kind: 'traffic_source', n: 1 },
      ],
      'one traffic source postback, ever',
    );
    assert.equal(
      rx.count((r) => r.path === '/ts'),
      1,
    );
    assert.deepEqual(
      rx.received.filter((r) => r.path === '/sub').map((r) => JSON.parse(r.body).n),
      [1, 2, 3, 4],
      'in order, numbered per conversion and receiver',
    );
  });
});
