import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, TestApp } from '../support/test-app';
import { conversion, ConversionWorld, countRows, created, insertVisit, makeWorld } from '../support/conversion-world';

/** Issue 13: an amount is never relabelled, a Trackdesk externalId is one conversion per network. */
describe('conversions: money and dedupe the networks rely on', () => {
  let t: TestApp;
  let w: ConversionWorld;
  before(async () => {
    t = await startTestApp();
    w = await makeWorld(t); // dynamic offer, 92.40 USD
  });
  after(() => t.close());
  const get = (path: string) => t.http().get(path);

  it('a follow-up without a currency keeps the stored currency (7 EUR never becomes 7 USD)', async () => {
    const click = await insertVisit(t, w);
    const first = await get(`/postback?clickid=${click}&payout=7&currency=EUR&txid=CUR-1&status=pending`);
    assert.equal(first.body.status, 'accepted', first.text);
    const again = await get(`/postback?clickid=${click}&payout=7&txid=CUR-1&status=approved`);
    assert.equal(again.body.status, 'updated', again.text);
    let c = await conversion(t, first.body.conversionId);
    assert.equal(c.status, 'approved');
    assert.equal(c.currency, 'EUR');
    assert.equal(c.payload.data.payout, 7);
    // A new amount without a currency is in the conversion's currency too.
    await get(`/postback?clickid=${click}&payout=9.5&txid=CUR-1`);
    c = await conversion(t, first.body.conversionId);
    assert.equal(c.currency, 'EUR');
    assert.equal(c.payload.data.payout, 9.5);
    // A new conversion with no currency takes the offer's.
    const fresh = await get(`/postback?clickid=${click}&payout=3&txid=CUR-2`);
    assert.equal((await conversion(t, fresh.body.conversionId)).currency, 'USD');
  });

  it('a Trackdesk repeat without a currency keeps 12.5 GBP', async () => {
    const click = await insertVisit(t, w);
    const g = await get(
      `/tracking/conversion/v1?conversionTypeCode=cps&cid=${click}&amount.value=12.5&currency.code=GBP&externalId=TD-CUR&status=CONVERSION_STATUS_PENDING`,
    );
    assert.equal(g.body.status, 'accepted', g.text);
    const p = await t
      .http()
      .post('/tracking/conversion/v1')
      .send({ conversionTypeCode: 'cps', cid: click, amount: { value: '12.5' }, externalId: 'TD-CUR', status: 'CONVERSION_STATUS_APPROVED' });
    assert.equal(p.body.status, 'updated', p.text);
    const c = await conversion(t, g.body.conversionId);
    assert.equal(c.currency, 'GBP');
    assert.equal(c.payload.data.payout, 12.5);
  });

  it('a Trackdesk externalId is one conversion per network whatever the conversionTypeCode', async () => {
    const lead = await created(t, '/conversion-types', { code: 'lead_td', name: 'Lead' });
    const click = await insertVisit(t, w);
    const a = await get(
      `/tracking/conversion/v1?conversionTypeCode=cps&cid=${click}&amount.value=20&currency.code=USD&externalId=TD-ONE&status=CONVERSION_STATUS_PENDING`,
    );
    assert.equal(a.body.status, 'accepted', a.text);
    const b = await get(
      `/tracking/conversion/v1?conversionTypeCode=${lead.code}&cid=${click}&amount.value=20&currency.code=USD&externalId=TD-ONE&status=CONVERSION_STATUS_APPROVED`,
    );
    assert.deepEqual(b.body, { status: 'updated', conversionId: a.body.conversionId });
    assert.equal(await countRows(t, `SELECT 1 FROM conversions WHERE click_id = $1`, [click]), 1);
    // The generic endpoint keeps one conversion per (network, transaction, type).
    const g1 = await get(`/postback?clickid=${click}&payout=1&txid=GEN-ONE&type=cps`);
    const g2 = await get(`/postback?clickid=${click}&payout=1&txid=GEN-ONE&type=${lead.code}`);
    assert.equal(g1.body.status, 'accepted', g1.text);
    assert.equal(g2.body.status, 'accepted', g2.text);
    assert.notEqual(g1.body.conversionId, g2.body.conversionId);
  });
});
