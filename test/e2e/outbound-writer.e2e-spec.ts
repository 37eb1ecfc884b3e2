import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OutboxWriter } from '../../src/modules/outbound/outbox.writer';
import { changeConversion, createConversion, outboxRows } from '../support/outbound.fixtures';
import { startTestApp, TestApp } from '../support/test-app';

describe('outbox writer', () => {
  let t: TestApp;
  let writer: OutboxWriter;
  const post = async (path: string, body: unknown) => {
    const r = await t
      .http()
      .post(`/api/v1${path}`)
      .set(t.auth)
      .send(body as object);
    assert.equal(r.status, 201, r.text);
    return r.body;
  };

  before(async () => {
    // The dispatcher stays off: these tests look at what is written, not what is sent.
    t = await startTestApp({ OUTBOX_ENABLED: 'false' });
    writer = t.app.get(OutboxWriter);
  });
  after(() => t?.close());

  it('queues the traffic source postback once, when the conversion first reaches a listed status', async () => {
    const ts = await post('/traffic-sources', {
      name: 'ts once',
      postbackUrl: 'https://ts.example/pb?clickid={external_id}&payout={payout}&st={status}&cv={conversion_id}&t={conversion_type}',
    });
    const id = await createConversion(t.db, writer, { trafficSourceId: ts.id, externalId: 'EXT 1&x=2', status: 'pending', campaignId: 'ts-camp' });
    const tsRows = async () => (await outboxRows(t.db, id)).filter((r) => r.kind === 'traffic_source');
    assert.equal((await tsRows()).length, 0, 'pending is not a postback status');

    await changeConversion(t.db, writer, id, 'approved');
    const rows = await tsRows();
    assert.equal(rows.length, 1);
    assert.equal(rows[0].target, `ts:${ts.id}`);
    assert.equal(rows[0].sequence_number, 1);
    const url = new URL(rows[0].url);
    assert.equal(url.searchParams.get('clickid'), 'EXT 1&x=2');
    assert.equal(url.searchParams.get('payout'), '10.5');
    assert.equal(url.searchParams.get('st'), 'approved');
    assert.equal(url.searchParams.get('cv'), id);
    assert.equal(url.searchParams.get('t'), 'cps');
    assert.equal((await t.db.query(`SELECT ts_postback_sent FROM conversions WHERE id = $1`, [id]))[0].ts_postback_sent, true);

    await changeConversion(t.db, writer, id, 'declined');
    await changeConversion(t.db, writer, id, 'approved');
    await changeConversion(t.db, writer, id, 'approved', '99');
    assert.equal((await tsRows()).length, 1, 'once, whatever happens next');
  });

  it('sends no traffic source postback for a visit without an external id, or with another status list', async () => {
    const ts = await post('/traffic-sources', { name: 'ts none', postbackUrl: 'https://ts.example/pb?c={external_id}' });
    const none = await createConversion(t.db, writer, { trafficSourceId: ts.id, externalId: null, campaignId: 'ts-camp' });
    assert.equal((await outboxRows(t.db, none)).filter((r) => r.kind === 'traffic_source').length, 0);

    const leads = await post('/traffic-sources', { name: 'ts pending', postbackUrl: 'https://ts.example/pb?c={external_id}', postbackStatuses: ['pending'] });
    const approved = await createConversion(t.db, writer, { trafficSourceId: leads.id, externalId: 'e', status: 'approved', campaignId: 'ts-camp' });
    assert.equal((await outboxRows(t.db, approved)).filter((r) => r.kind === 'traffic_source').length, 0);
    const pending = await createConversion(t.db, writer, { trafficSourceId: leads.id, externalId: 'e', status: 'pending', campaignId: 'ts-camp' });
    assert.equal((await outboxRows(t.db, pending)).filter((r) => r.kind === 'traffic_source').length, 1);
  });

  it('numbers messages per conversion and receiver, and applies the filter', async () => {
    const sub = await post('/subscriptions', {
      filter: { campaignIds: ['seq-camp'], statuses: ['pending', 'approved'] },
      receivers: [
        { httpMethod: 'GET', receiverUrl: 'https://rx.example/a?m=${messageId}&n=${sequenceNumber}&s=${status}' },
        { httpMethod: 'POST', receiverUrl: 'https://rx.example/b', receiverFormat: 'json', receiverBody: '{"n": ${sequenceNumber}, "s": "${status}"}' },
      ],
    });
    const id = await createConversion(t.db, writer, { campaignId: 'seq-camp', status: 'pending' });
    await changeConversion(t.db, writer, id, 'approved');
    await changeConversion(t.db, writer, id, 'declined'); // filtered out by status
    await changeConversion(t.db, writer, id, 'approved', '12.00');
    const rows = await outboxRows(t.db, id);
    const a = rows.filter((r) => r.target === `sub:${sub.id}:0`);
    const b = rows.filter((r) => r.target === `sub:${sub.id}:1`);
    assert.deepEqual(
      a.map((r) => r.sequence_number),
      [1, 2, 3],
    );
    assert.deepEqual(
      b.map((r) => r.sequence_number),
      [1, 2, 3],
    );
    assert.deepEqual(
      a.map((r) => new URL(r.url).searchParams.get('s')),
      ['pending', 'approved', 'approved'],
    );
    for (const r of a) {
      const url = new URL(r.url);
      assert.equal(url.searchParams.get('m'), r.id, 'messageId is the row id');
      assert.equal(url.searchParams.get('n'), String(r.sequence_number));
    }
    assert.deepEqual(
      b.map((r) => JSON.parse(r.body!)),
      [
        { n: 1, s: 'pending' },
        { n: 2, s: 'approved' },
        { n: 3, s: 'approved' },
      ],
    );

    const other = await createConversion(t.db, writer, { campaignId: 'seq-camp', status: 'approved' });
    assert.deepEqual(
      (await outboxRows(t.db, other)).filter((r) => r.target.startsWith(`sub:${sub.id}:`)).map((r) => r.sequence_number),
      [1, 1],
      'a new conversion starts at 1',
    );
    const outside = await createConversion(t.db, writer, { campaignId: 'another-camp' });
    assert.equal((await outboxRows(t.db, outside)).filter((r) => r.kind === 'subscription' && r.target.startsWith(`sub:${sub.id}:`)).length, 0);
  });

  it('converts the currency and fills the custom attribute', async () => {
    const put = await t
      .http()
      .put('/api/v1/exchange-rates')
      .set(t.auth)
      .send({ base: 'USD', rates: { EUR: '0.92' } });
    assert.equal(put.status, 200, put.text);
    const sub = await post('/subscriptions', {
      filter: { campaignIds: ['fx-camp'] },
      currencyConversion: { to: 'USD' },
      customAttribute: { attributes: ['country', 'status'], userAttribute: 'tier', rules: [{ inputs: ['DE', 'approved'], output: 'gold' }] },
      receivers: [{ httpMethod: 'GET', receiverUrl: 'https://rx.example/fx?v=${payout}&c=${currency}&tier=${tier}' }],
    });
    const id = await createConversion(t.db, writer, { campaignId: 'fx-camp', payout: '10', currency: 'EUR', country: 'DE' });
    const [row] = (await outboxRows(t.db, id)).filter((r) => r.target === `sub:${sub.id}:0`);
    const url = new URL(row.url);
    assert.equal(url.searchParams.get('v'), '10.869565');
    assert.equal(url.searchParams.get('c'), 'USD');
    assert.equal(url.searchParams.get('tier'), 'gold');
  });

  it('writes nothing for a rolled-back change, nor for an archived subscription', async () => {
    const sub = await post('/subscriptions', {
      filter: { campaignIds: ['rb-camp'] },
      receivers: [{ httpMethod: 'GET', receiverUrl: 'https://rx.example/rb' }],
    });
    const id = await createConversion(t.db, writer, { campaignId: 'rb-camp', status: 'pending' });
    await assert.rejects(
      t.db.transaction(async (m) => {
        await m.query(`UPDATE conversions SET status = 'approved' WHERE id = $1`, [id]);
        await writer.onConversionChanged(m, {
          conversionId: id,
          kind: 'status_changed',
          previousStatus: 'pending',
          status: 'approved',
          occurredAt: new Date(),
        });
        throw new Error('rolled back');
      }),
    );
    assert.equal((await outboxRows(t.db, id)).length, 1, 'only the creation message');

    assert.equal((await t.http().delete(`/api/v1/subscriptions/${sub.id}`).set(t.auth)).status, 204);
    const archived = await t.http().get(`/api/v1/subscriptions/${sub.id}`).set(t.auth);
    assert.ok(archived.body.archivedAt, 'kept (archived): it has messages');
    await changeConversion(t.db, writer, id, 'approved');
    assert.equal((await outboxRows(t.db, id)).length, 1, 'an archived subscription gets no new message');
  });
});
