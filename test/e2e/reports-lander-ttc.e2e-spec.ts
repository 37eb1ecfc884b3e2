import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { conversion, created } from '../support/conversion-world';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * SPEC §8 `landerClicks` / `landerCtr` and issue 12.7 `timeToConvert` (a conversion field; in
 * reports the median over attributed conversions not declined), from the rollups and from raw
 * visits alike.
 */
describe('reports: lander metrics and time to convert', () => {
  let t: TestApp;
  let campaignId: string;
  let plainId: string;
  const window = () => `from=${new Date(Date.now() - 3_600_000).toISOString()}&to=${new Date(Date.now() + 3_600_000).toISOString()}`;
  const report = async (query: string) => {
    const r = await t.http().get(`/api/v1/reports?${window()}&${query}`).set(t.auth);
    assert.equal(r.status, 200, r.text);
    return r.body.rows as Record<string, any>[];
  };
  const click = async (key: string, source: string) => {
    const r = await t.http().get(`/c/${key}?utm_source=${source}`);
    assert.equal(r.status, 302, r.text);
    const url = new URL(r.headers.location);
    return url.searchParams.get('cid') ?? url.searchParams.get('sub')!;
  };

  before(async () => {
    t = await startTestApp();
    const ts = await created(t, '/traffic-sources', { name: 'src', clickIdParam: 'clickid', params: [{ param: 'utm_source', as: 'source' }] });
    const offer = await created(t, '/offers', {
      name: 'o',
      url: 'https://offer.example/?sub={click_id}',
      payout: { type: 'fixed', amount: '4', currency: 'USD' },
    });
    const lp = await created(t, '/landing-pages', { name: 'lp', url: 'https://lp.example/review?cid={click_id}' });
    campaignId = (
      await created(t, '/campaigns', {
        key: 'lander-ttc',
        name: 'with lander',
        trafficSourceId: ts.id,
        destinations: [{ offerId: offer.id, landingPageId: lp.id }],
      })
    ).id;
    plainId = (await created(t, '/campaigns', { key: 'plain-ttc', name: 'direct', trafficSourceId: ts.id, destinations: [{ offerId: offer.id }] })).id;
  });
  after(() => t.close());

  it('counts lander click-throughs per campaign, from the rollups and from raw visits', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(await click('lander-ttc', i < 2 ? 'a' : 'b'));
    await click('plain-ttc', 'a');
    // Three click-throughs on two visits: only the first of a visit counts.
    for (const id of [ids[0], ids[0], ids[2]]) assert.equal((await t.http().get(`/lp/click?cid=${id}`)).status, 302);

    const byCampaign = Object.fromEntries((await report('groupBy=campaign')).map((r) => [r.campaign.id, r]));
    assert.deepEqual([byCampaign[campaignId].clicks, byCampaign[campaignId].landerClicks, byCampaign[campaignId].landerCtr], [4, 2, 0.5]);
    assert.deepEqual([byCampaign[plainId].clicks, byCampaign[plainId].landerClicks, byCampaign[plainId].landerCtr], [1, 0, null], 'no lander: no rate');

    // The remapped slot is read from raw visits: the same figures.
    const bySource = Object.fromEntries((await report(`groupBy=source&campaign=${campaignId}`)).map((r) => [r.source, r]));
    assert.deepEqual([bySource.a.landerClicks, bySource.a.landerCtr, bySource.b.landerClicks, bySource.b.landerCtr], [1, 0.5, 1, 0.5]);
    const byCountry = await report(`groupBy=country&campaign=${campaignId}`);
    assert.equal(
      byCountry.reduce((n, r) => n + r.landerClicks, 0),
      2,
      'the audience rollup counts them too',
    );
  });

  it('a conversion has its time to convert, and reports the median per group', async () => {
    const ids = [await click('plain-ttc', 'x'), await click('plain-ttc', 'x'), await click('plain-ttc', 'x'), await click('plain-ttc', 'y')];
    // Make the clicks 100, 200 and 400 s older, so the times are known (the visits' rollups follow the update).
    const ages = [100, 200, 400, 50];
    for (let i = 0; i < ids.length; i++) {
      await t.db.query(`UPDATE visits SET created_at = created_at - make_interval(secs => $2) WHERE id = $1`, [ids[i], ages[i]]);
    }
    const conv: string[] = [];
    for (const [i, id] of ids.entries()) {
      const r = await t.http().get(`/postback?clickid=${id}&txid=TTC-${i}&status=${i === 3 ? 'declined' : 'approved'}`);
      assert.equal(r.body.status, 'accepted', r.text);
      conv.push(r.body.conversionId);
    }
    const c = await conversion(t, conv[1]);
    assert.ok(Math.abs(c.timeToConvert - 200) < 5, `timeToConvert ${c.timeToConvert}`);
    const unattributed = await t.http().get(`/postback?clickid=0123456789ab0123456789ab&txid=TTC-U`);
    assert.equal((await conversion(t, unattributed.body.conversionId)).timeToConvert, null);

    const bySource = Object.fromEntries((await report(`groupBy=source&campaign=${plainId}`)).map((r) => [r.source, r]));
    assert.ok(Math.abs(bySource.x.timeToConvert - 200) < 5, `median of 100, 200, 400 s: ${bySource.x.timeToConvert}`);
    assert.equal(bySource.y.timeToConvert, null, 'a declined conversion is left out');
    const [all] = await report(`groupBy=campaign&campaign=${plainId}`);
    assert.ok(Math.abs(all.timeToConvert - 200) < 5, `campaign median ${all.timeToConvert}`);
  });
});
