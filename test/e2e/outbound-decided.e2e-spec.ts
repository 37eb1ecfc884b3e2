import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConversionWorld, created, insertVisit, makeWorld } from '../support/conversion-world';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The intake skips the outbox when a change can have no message, deciding from the settings it
 * keeps in memory: what it queues must still be exactly what the settings say, and a change of
 * settings must be seen by the very next call (SPEC §3).
 */
describe('outbox messages of intake calls, decided from kept settings', () => {
  let t: TestApp;
  let w: ConversionWorld;
  const postback = async (query: string) => {
    const r = await t.http().get(`/postback?${query}`);
    assert.equal(r.status, 200, r.text);
    return r.body as { status: string; conversionId: string };
  };
  const queued = async (conversionId: string) =>
    (await t.db.query(`SELECT target, sequence_number FROM outbox_messages WHERE conversion_id = $1 ORDER BY created_at, id`, [conversionId])).map(
      (r: { target: string; sequence_number: number }) => `${r.target}#${r.sequence_number}`,
    );

  before(async () => {
    // Only what is queued matters here, not its delivery.
    t = await startTestApp({ OUTBOX_ENABLED: 'false' });
    w = await makeWorld(t);
  });
  after(() => t?.close());

  it('queues nothing for another campaign, then follows a subscription from the next call on', async () => {
    await created(t, '/subscriptions', {
      filter: { campaignIds: ['another-campaign'] },
      receivers: [{ httpMethod: 'GET', receiverUrl: 'https://rx.example/other' }],
    });
    const click = await insertVisit(t, w);
    const first = await postback(`clickid=${click}&payout=1&txid=D1&status=pending`);
    assert.equal(first.status, 'accepted');
    assert.equal((await postback(`clickid=${click}&txid=D1&status=approved`)).status, 'updated');
    assert.deepEqual(await queued(first.conversionId), []);

    const sub = await created(t, '/subscriptions', {
      filter: { campaignIds: [w.campaignId], conversionTypes: ['CPS'] },
      receivers: [{ httpMethod: 'GET', receiverUrl: 'https://rx.example/mine?s=${status}' }],
    });
    assert.equal((await postback(`clickid=${click}&txid=D1&status=declined`)).status, 'updated');
    assert.deepEqual(await queued(first.conversionId), [`sub:${sub.id}:0#1`], 'the status change after the subscription');

    const second = await postback(`clickid=${await insertVisit(t, w)}&payout=2&txid=D2`);
    assert.deepEqual(await queued(second.conversionId), [`sub:${sub.id}:0#1`], 'a new conversion passing the filter (type by code)');
    const lead = await postback(`clickid=${await insertVisit(t, w)}&payout=2&txid=D3&type=cpl`);
    assert.deepEqual(await queued(lead.conversionId), [], 'another type');
  });

  it('sees a traffic source postback URL set after the conversion was created', async () => {
    const world = await makeWorld(t);
    const click = await insertVisit(t, world);
    const c = await postback(`clickid=${click}&payout=3&txid=D4&status=pending`);
    assert.deepEqual(await queued(c.conversionId), []);
    const patched = await t
      .http()
      .patch(`/api/v1/traffic-sources/${world.trafficSourceId}`)
      .set(t.auth)
      .send({ postbackUrl: 'https://ts.example/pb?e={external_id}' });
    assert.equal(patched.status, 200, patched.text);
    assert.equal((await postback(`clickid=${click}&txid=D4&status=approved`)).status, 'updated');
    assert.deepEqual(await queued(c.conversionId), [`ts:${world.trafficSourceId}#1`]);
    assert.equal((await postback(`clickid=${click}&txid=D4&status=declined`)).status, 'updated');
    assert.equal((await postback(`clickid=${click}&txid=D4&status=approved`)).status, 'updated');
    assert.deepEqual(await queued(c.conversionId), [`ts:${world.trafficSourceId}#1`], 'once, ever');

    const fresh = await postback(`clickid=${await insertVisit(t, world)}&payout=3&txid=D5`);
    assert.deepEqual(await queued(fresh.conversionId), [`ts:${world.trafficSourceId}#1`], 'a new approved conversion at once');
  });
});
