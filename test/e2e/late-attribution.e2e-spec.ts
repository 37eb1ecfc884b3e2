import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mintId } from '../../src/common/ids';
import { VisitWriter } from '../../src/modules/clicks/visit.writer';
import { conversion, created } from '../support/conversion-world';
import { TestReceiver } from '../support/outbound.fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 13.7: a conversion that arrives before its click is attributed by the click's own
 * transaction, takes the offer's payout terms there, and is announced to the outbox: the traffic
 * source postback and the campaign-filtered subscriptions no longer wait for its next change.
 */
describe('late attribution: a conversion that arrived before its click', () => {
  let t: TestApp;
  let rx: TestReceiver;
  let campaignKey: string;
  let fixedKey: string;
  let fixedCampaignId: string;

  const postback = async (query: string) => {
    const r = await t.http().get(`/postback?${query}`);
    assert.equal(r.status, 200, r.text);
    return r.body as { status: string; conversionId: string };
  };
  /** A click through the real redirect, with the click id the conversion already names. */
  const clickAs = async (key: string, id: string, external: string) => {
    const writer = t.app.get(VisitWriter);
    const mint = writer.mint;
    writer.mint = () => id;
    try {
      const r = await t.http().get(`/c/${key}?clickid=${external}`);
      assert.equal(r.status, 302, r.text);
    } finally {
      writer.mint = mint;
    }
  };
  const history = (id: string) =>
    t.db.query(`SELECT status, payout::text, currency, note FROM conversion_history WHERE conversion_id = $1 ORDER BY id`, [id]) as Promise<
      { status: string; payout: string; currency: string; note: string }[]
    >;

  before(async () => {
    rx = await TestReceiver.start();
    t = await startTestApp();
    const ts = await created(t, '/traffic-sources', {
      name: 'late ts',
      clickIdParam: 'clickid',
      postbackUrl: `${rx.url}/ts?ext={external_id}&payout={payout}&cur={currency}&status={status}`,
    });
    const dynamic = await created(t, '/offers', {
      name: 'dyn',
      url: 'https://offer.example/?s={click_id}',
      payout: { type: 'dynamic', amount: '5.00', currency: 'EUR' },
    });
    const fixed = await created(t, '/offers', {
      name: 'fix',
      url: 'https://offer.example/?s={click_id}',
      payout: { type: 'fixed', amount: '7.00', currency: 'USD' },
    });
    campaignKey = `late-${mintId().slice(-6)}`;
    fixedKey = `${campaignKey}-f`;
    const camp = await created(t, '/campaigns', {
      key: campaignKey,
      name: 'late',
      trafficSourceId: ts.id,
      destinations: [{ offerId: dynamic.id, weight: 100 }],
    });
    fixedCampaignId = (
      await created(t, '/campaigns', { key: fixedKey, name: 'late fixed', trafficSourceId: ts.id, destinations: [{ offerId: fixed.id, weight: 100 }] })
    ).id;
    const receiver = (path: string) => ({
      httpMethod: 'POST',
      receiverUrl: `${rx.url}${path}`,
      receiverFormat: 'json',
      receiverBody: '{"c": "${conversionId}", "payout": "${payout}", "currency": "${currency}", "campaign": "${campaignId}", "n": ${sequenceNumber}}',
    });
    await created(t, '/subscriptions', { subscriptionName: 'campaign', filter: { campaignIds: [camp.id] }, receivers: [receiver('/campaign')] });
    await created(t, '/subscriptions', { subscriptionName: 'all', receivers: [receiver('/all')] });
  });
  after(async () => {
    await rx?.close();
    await t?.close();
  });

  const about = (path: string, id: string) => (r: { path: string; body: string }) => r.path === path && r.body.includes(id);

  it('without an amount: the offer payout applies, history says so, the source and the campaign subscriber are told', async () => {
    const id = mintId();
    const r = await postback(`clickid=${id}&txid=LATE-1&status=approved`);
    assert.equal(r.status, 'unattributed');
    await rx.waitFor(about('/all', r.conversionId), 5000, 'the unfiltered subscriber hears of the new conversion');
    assert.equal((await conversion(t, r.conversionId)).payload.data.payout, 0);

    await clickAs(campaignKey, id, 'EXT-L1');

    const ts = await rx.waitFor((x) => x.path === '/ts' && x.url.includes('EXT-L1'), 5000, 'the traffic source postback');
    const q = new URL(rx.url + ts.url).searchParams;
    assert.deepEqual([q.get('payout'), q.get('cur'), q.get('status')], ['5', 'EUR', 'approved']);
    const sub = await rx.waitFor(about('/campaign', r.conversionId), 5000, 'the campaign-filtered subscriber');
    assert.equal(JSON.parse(sub.body).payout, '5');
    // The unfiltered subscriber heard "0 USD" at first; the new amount is news to it too.
    await rx.waitForCount(about('/all', r.conversionId), 2, 5000);
    const second = rx.received.filter(about('/all', r.conversionId))[1];
    assert.deepEqual([JSON.parse(second.body).payout, JSON.parse(second.body).currency, JSON.parse(second.body).n], ['5', 'EUR', 2]);

    const c = await conversion(t, r.conversionId);
    assert.equal(c.visitEvent.id, id);
    assert.equal(c.payload.data.payout, 5);
    assert.equal(c.currency, 'EUR');
    const h = await history(r.conversionId);
    assert.equal(h.length, 2);
    assert.match(h[1].note, new RegExp(`attributed to click ${id} when the click was recorded; payout 0 USD -> 5(\\.00)? EUR \\(offer terms\\)`));
    assert.deepEqual([h[1].status, Number(h[1].payout), h[1].currency], ['approved', 5, 'EUR']);
    assert.equal(await count(`SELECT 1 FROM conversion_attributions`), 0, 'announced and cleared');

    // Once, not again: a repeat of the same postback is a duplicate and sends nothing more.
    assert.equal((await postback(`clickid=${id}&txid=LATE-1&status=approved`)).status, 'duplicate');
    await settle();
    assert.equal(
      rx.count((x) => x.path === '/ts' && x.url.includes('EXT-L1')),
      1,
    );
    assert.equal(rx.count(about('/campaign', r.conversionId)), 1);
  });

  it('with the amount the network reported: kept, and only the subscriber that could not see it before is told', async () => {
    const id = mintId();
    const r = await postback(`clickid=${id}&txid=LATE-2&payout=12.5&currency=EUR&status=pending`);
    assert.equal(r.status, 'unattributed');
    await rx.waitFor(about('/all', r.conversionId), 5000);
    await clickAs(campaignKey, id, 'EXT-L2');
    const sub = await rx.waitFor(about('/campaign', r.conversionId), 5000, 'the campaign-filtered subscriber');
    assert.deepEqual([JSON.parse(sub.body).payout, JSON.parse(sub.body).currency, JSON.parse(sub.body).n], ['12.5', 'EUR', 1]);
    await settle();
    assert.equal(rx.count(about('/all', r.conversionId)), 1, 'the unfiltered subscriber already knew all of it');
    assert.equal(
      rx.count((x) => x.path === '/ts' && x.url.includes('EXT-L2')),
      0,
      'pending: not a status the source is told',
    );
    const h = await history(r.conversionId);
    assert.equal(h.at(-1)!.note, `attributed to click ${id} when the click was recorded`);

    // Approved later: the source hears it now, as for any conversion.
    assert.equal((await postback(`clickid=${id}&txid=LATE-2&status=approved`)).status, 'updated');
    const ts = await rx.waitFor((x) => x.path === '/ts' && x.url.includes('EXT-L2'), 5000);
    assert.equal(new URL(rx.url + ts.url).searchParams.get('payout'), '12.5');
  });

  it("a fixed offer's terms replace the reported amount, and reports count the new revenue", async () => {
    const id = mintId();
    const r = await postback(`clickid=${id}&txid=LATE-3&payout=12&currency=EUR&status=approved`);
    assert.equal(r.status, 'unattributed');
    await clickAs(fixedKey, id, 'EXT-L3');
    const ts = await rx.waitFor((x) => x.path === '/ts' && x.url.includes('EXT-L3'), 5000);
    const q = new URL(rx.url + ts.url).searchParams;
    assert.deepEqual([q.get('payout'), q.get('cur')], ['7', 'USD']);
    const c = await conversion(t, r.conversionId);
    assert.deepEqual([c.payload.data.payout, c.currency], [7, 'USD']);
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 3_600_000).toISOString();
    const rep = await t.http().get(`/api/v1/reports?groupBy=campaign&campaign=${fixedCampaignId}&from=${from}&to=${to}`).set(t.auth);
    assert.equal(rep.status, 200, rep.text);
    assert.equal(rep.body.rows.length, 1, rep.text);
    const [row] = rep.body.rows;
    assert.equal(row.conversions, 1);
    assert.equal(row.revenue, 7);
  });

  it('a postback that finds the click recorded attributes it too, and tells the campaign subscriber', async () => {
    // The click writer attributes what waits when the click is written; a conversion whose click
    // was written without it (a race) is attributed by its next postback, and announced the same way.
    const id = mintId();
    const r = await postback(`clickid=${id}&txid=LATE-4&payout=3&currency=EUR&status=pending`);
    assert.equal(r.status, 'unattributed');
    await t.db.query(`UPDATE conversions SET click_id = 'x' || click_id WHERE id = $1`, [r.conversionId]);
    await clickAs(campaignKey, id, 'EXT-L4');
    await t.db.query(`UPDATE conversions SET click_id = $2 WHERE id = $1`, [r.conversionId, id]);
    assert.equal((await postback(`clickid=${id}&txid=LATE-4&payout=3&currency=EUR&status=pending`)).status, 'updated');
    const sub = await rx.waitFor(about('/campaign', r.conversionId), 5000, 'the campaign-filtered subscriber');
    assert.equal(JSON.parse(sub.body).payout, '3');
    await settle();
    assert.equal(rx.count(about('/all', r.conversionId)), 1, 'nothing new for the unfiltered subscriber');
  });

  const count = async (sql: string) => ((await t.db.query(sql)) as unknown[]).length;
  /** Lets the outbox send anything still due (it is woken by commits and polls within a second). */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 1500));
});
