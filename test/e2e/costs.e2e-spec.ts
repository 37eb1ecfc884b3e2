import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, TestApp } from '../support/test-app';
import { insertVisit } from '../support/report.fixture';

/** SPEC §3 cost updates: a campaign's total cost over a range, spread over its visits, in reports at once. */
describe('cost updates', () => {
  let t: TestApp;
  let campaignId: string;
  let otherId: string;
  before(async () => {
    t = await startTestApp();
    const offer = await t.http().post('/api/v1/offers').set(t.auth).send({ name: 'o', url: 'https://offer.example/' });
    const mk = async (name: string) =>
      (
        await t
          .http()
          .post('/api/v1/campaigns')
          .set(t.auth)
          .send({ name, cost: { model: 'cpc', amount: '0.05', currency: 'USD' }, destinations: [{ offerId: offer.body.id, weight: 1 }] })
      ).body.id as string;
    campaignId = await mk('Costed');
    otherId = await mk('Other');
  });
  after(() => t.close());

  const report = async (campaign: string, from: string, to: string) => {
    const r = await t.http().get(`/api/v1/reports?groupBy=campaign&campaign=${campaign}&from=${from}&to=${to}`).set(t.auth);
    assert.equal(r.status, 200, r.text);
    return r.body.rows[0] as Record<string, number>;
  };

  it('spreads the amount over the range visits exactly; visits outside and other campaigns keep theirs', async () => {
    for (const at of ['2024-05-01T10:00:00.000Z', '2024-05-01T11:00:00.000Z', '2024-05-01T12:00:00.000Z', '2024-05-02T00:00:00.000Z'])
      await insertVisit(t.db, { at, campaignId, cost: '0.05' });
    await insertVisit(t.db, { at: '2024-05-01T10:30:00.000Z', campaignId: otherId, cost: '0.05' });
    assert.equal((await report(campaignId, '2024-05-01T00:00:00Z', '2024-05-03T00:00:00Z')).cost, 0.2);

    const r = await t
      .http()
      .post('/api/v1/costs')
      .set(t.auth)
      .send({ campaignId, from: '2024-05-01T00:00:00Z', to: '2024-05-02T00:00:00Z', amount: '10', currency: 'USD' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.visits, 3);
    assert.equal(r.body.amount, 10);
    // In reports at once, rollup-backed or not: 10 over the range, + 0.05 of the visit after it.
    const day = await report(campaignId, '2024-05-01T00:00:00Z', '2024-05-02T00:00:00Z');
    assert.equal(day.cost, 10);
    assert.equal((await report(campaignId, '2024-05-01T00:00:00Z', '2024-05-03T00:00:00Z')).cost, 10.05);
    const byHour = await t.http().get(`/api/v1/reports?groupBy=hour&campaign=${campaignId}&from=2024-05-01T00:00:00Z&to=2024-05-02T00:00:00Z`).set(t.auth);
    assert.deepEqual(
      byHour.body.rows.map((x: { cost: number }) => x.cost),
      [3.3333, 3.3333, 3.3333],
    );
    const shares = await t.db.query(`SELECT cost::text AS cost FROM visits WHERE campaign_id = $1 ORDER BY created_at`, [campaignId]);
    assert.deepEqual(
      shares.map((s: { cost: string }) => s.cost),
      ['3.333333', '3.333333', '3.333334', '0.05'],
    );
    assert.equal((await report(otherId, '2024-05-01T00:00:00Z', '2024-05-02T00:00:00Z')).cost, 0.05);

    const list = await t.http().get('/api/v1/costs').set(t.auth);
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.items[0], { ...r.body });
    assert.equal(list.body.nextCursor, null);
  });

  it('refuses what it cannot honour, naming it', async () => {
    const post = (body: object) => t.http().post('/api/v1/costs').set(t.auth).send(body);
    const base = { campaignId, from: '2024-06-01T00:00:00Z', to: '2024-06-02T00:00:00Z', amount: '1', currency: 'USD' };
    assert.equal((await post({ ...base, campaignId: 'nope' })).status, 404);
    const backwards = await post({ ...base, to: base.from });
    assert.equal(backwards.status, 400);
    assert.match(backwards.text, /"field":"to"/);
    assert.equal((await post({ ...base, amount: '-5' })).status, 400);
    assert.equal((await post({ ...base, currency: 'usd' })).status, 400);
    assert.equal((await post({ ...base, spend: 1 })).status, 400);
    const key = await t.http().post('/api/v1/api-keys').set(t.auth).send({ name: 'reader', scope: 'read' });
    assert.equal((await t.http().post('/api/v1/costs').set('authorization', `Bearer ${key.body.key}`).send(base)).status, 403);
    assert.equal((await t.http().get('/api/v1/costs').set('authorization', `Bearer ${key.body.key}`)).status, 200);
  });
});
