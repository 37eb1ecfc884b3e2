import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { conversion, ConversionWorld, created, insertVisit, makeWorld } from '../support/conversion-world';
import { fieldsOf } from '../support/error-fields';
import { TestReceiver } from '../support/outbound.fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/** SPEC §3 conversions by hand: PATCH /api/v1/conversions/:id through the postback rules. */
describe('conversions by hand (PATCH /api/v1/conversions/:id)', () => {
  let t: TestApp;
  let w: ConversionWorld;
  let rx: TestReceiver;
  let editor: string;
  let reader: string;

  const patch = (id: string, body: object, key = editor) => t.http().patch(`/api/v1/conversions/${id}`).set('authorization', `Bearer ${key}`).send(body);
  const postback = async (query: string) => (await t.http().get(`/postback?${query}`)).body as { status: string; conversionId: string };
  const revenue = async () => {
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 3_600_000).toISOString();
    const r = await t.http().get(`/api/v1/reports?groupBy=campaign&campaign=${w.campaignId}&from=${from}&to=${to}`).set(t.auth);
    assert.equal(r.status, 200, r.text);
    return r.body.rows[0]?.revenue ?? 0;
  };

  before(async () => {
    rx = await TestReceiver.start();
    t = await startTestApp();
    w = await makeWorld(t); // dynamic offer, 92.40 USD
    editor = (await created(t, '/api-keys', { name: 'Ana (affiliate manager)', scope: 'admin' })).key;
    reader = (await created(t, '/api-keys', { name: 'viewer', scope: 'read' })).key;
    await created(t, '/subscriptions', {
      filter: { campaignIds: [w.campaignId] },
      receivers: [
        {
          httpMethod: 'POST',
          receiverUrl: `${rx.url}/sub`,
          receiverFormat: 'json',
          receiverBody: '{"c": "${conversionId}", "status": "${status}", "payout": "${payout}", "currency": "${currency}"}',
        },
      ],
    });
  });
  after(async () => {
    await rx?.close();
    await t?.close();
  });

  it('approves and corrects the payout, with history naming the key, messages out and reports at once', async () => {
    const click = await insertVisit(t, w);
    const c = await postback(`clickid=${click}&payout=10&txid=MAN-1&status=pending`);
    assert.equal(c.status, 'accepted');
    await rx.waitFor((r) => r.body.includes(c.conversionId), 5000);
    const before = await revenue();

    const r = await patch(c.conversionId, { status: 'approved', note: 'confirmed with the network by e-mail' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.id, c.conversionId);
    assert.equal(r.body.status, 'approved');
    const last = r.body.history.at(-1);
    assert.deepEqual(
      [last.source, last.actor, last.status, last.note, last.postbackId],
      ['manual', 'Ana (affiliate manager)', 'approved', 'status pending -> approved; confirmed with the network by e-mail', null],
    );
    assert.equal(r.body.history[0].source, 'postback');
    await rx.waitFor((x) => x.body.includes(c.conversionId) && x.body.includes('"approved"'), 5000, 'the approval message');

    const p = await patch(c.conversionId, { payout: '12.5', currency: 'EUR' });
    assert.equal(p.status, 200, p.text);
    assert.deepEqual([p.body.payload.data.payout, p.body.currency], [12.5, 'EUR']);
    assert.match(p.body.history.at(-1).note, /^payout 10 USD -> 12\.5 EUR$/);
    const msg = await rx.waitFor((x) => x.body.includes(c.conversionId) && x.body.includes('"12.5"'), 5000, 'the amount message');
    assert.equal(JSON.parse(msg.body).currency, 'EUR');
    // The report converts EUR with the exchange rates; without one it is named as missing, so ask in USD terms.
    const u = await patch(c.conversionId, { payout: 15, currency: 'USD' });
    assert.equal(u.status, 200, u.text);
    assert.equal(Math.round(((await revenue()) - before) * 100) / 100, 5, 'reports count the payout set by hand at once (10 -> 15 USD)');

    // A postback repeat still dedupes against the corrected conversion.
    assert.equal((await postback(`clickid=${click}&payout=10&txid=MAN-1&status=approved`)).status, 'updated');
    const after = await conversion(t, c.conversionId);
    assert.equal(after.payload.data.payout, 10, 'the network reporting a new amount is a change as always');
  });

  it('refuses what a postback could not do, naming the field', async () => {
    const click = await insertVisit(t, w);
    const c = await postback(`clickid=${click}&payout=3&txid=MAN-2&status=approved`);
    const back = await patch(c.conversionId, { status: 'pending' });
    assert.equal(back.status, 409, back.text);
    assert.equal(back.body.code, 'INVALID_TRANSITION');

    const alone = await patch(c.conversionId, { currency: 'EUR' });
    assert.equal(alone.status, 400, alone.text);
    assert.ok(fieldsOf(alone.body).currency, alone.text);
    const negative = await patch(c.conversionId, { payout: '-3' });
    assert.equal(negative.status, 400, negative.text);
    assert.ok(fieldsOf(negative.body).payout, negative.text);
    const bad = await patch(c.conversionId, { status: 'paid' });
    assert.equal(bad.status, 400);
    assert.ok(fieldsOf(bad.body).status);
    const unknown = await patch(c.conversionId, { statsu: 'approved' });
    assert.equal(unknown.status, 400);
    assert.ok(fieldsOf(unknown.body).statsu);

    assert.equal((await patch(c.conversionId, { status: 'declined' }, reader)).status, 403);
    assert.equal((await patch('0000000000000000000000ff', { status: 'declined' })).status, 404);

    const unchanged = await conversion(t, c.conversionId);
    assert.deepEqual([unchanged.status, unchanged.payload.data.payout, unchanged.history.length], ['approved', 3, 1]);
  });

  it('a note alone is kept; the same values again change nothing and add nothing', async () => {
    const click = await insertVisit(t, w);
    const c = await postback(`clickid=${click}&payout=4&txid=MAN-3&status=approved`);
    const same = await patch(c.conversionId, { status: 'approved', payout: '4.00' });
    assert.equal(same.status, 200);
    assert.equal(same.body.history.length, 1);
    const noted = await patch(c.conversionId, { note: 'customer called' });
    assert.equal(noted.status, 200);
    assert.deepEqual([noted.body.history.length, noted.body.history[1].note, noted.body.history[1].source], [2, 'customer called', 'manual']);
    const declined = await patch(c.conversionId, { status: 'declined' });
    assert.equal(declined.body.status, 'declined');
    assert.equal((await patch(c.conversionId, { status: 'approved' })).body.status, 'approved', 'declined -> approved is allowed, as for a postback');
  });
});
