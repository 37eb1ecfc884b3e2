import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mintId } from '../../src/common/ids';
import { startTestApp, TestApp } from '../support/test-app';
import { conversion, ConversionWorld, created, insertVisit, makeWorld } from '../support/conversion-world';

describe('the inbound log and replays', () => {
  let t: TestApp;
  let w: ConversionWorld;
  before(async () => {
    t = await startTestApp();
    w = await makeWorld(t);
  });
  after(() => t.close());

  const api = (path: string) => t.http().get(`/api/v1${path}`).set(t.auth);
  const replay = (id: string) => t.http().post(`/api/v1/postbacks/${id}/replay`).set(t.auth);

  it('lists every call newest first, filtered by status, paged, and shows one', async () => {
    const click = await insertVisit(t, w);
    const from = new Date().toISOString();
    const a = await t.http().get(`/postback?clickid=${click}&txid=LOG-1&payout=1`);
    await t.http().get(`/postback?clickid=${click}&txid=LOG-1&payout=1`);
    await t.http().get(`/postback?clickid=${click}&txid=LOG-2&payout=oops`);
    const all = await api(`/postbacks?from=${from}&limit=1000`);
    assert.equal(all.status, 200);
    assert.deepEqual(
      all.body.items.map((p: { status: string }) => p.status),
      ['rejected', 'duplicate', 'accepted'],
    );
    const first = all.body.items[2];
    assert.equal(first.conversionId, a.body.conversionId);
    assert.equal(first.method, 'GET');
    assert.ok(first.url.startsWith('/postback?clickid='));
    assert.equal(first.endpoint, 'generic');
    assert.equal(first.affiliateNetworkId, w.networkId);
    assert.ok(Array.isArray(first.notes));
    const rejected = await api(`/postbacks?from=${from}&status=rejected`);
    assert.deepEqual(
      rejected.body.items.map((p: { code: string }) => p.code),
      ['INVALID_AMOUNT'],
    );
    assert.match(rejected.body.items[0].reason, /payout 'oops'/);
    const p1 = await api(`/postbacks?from=${from}&limit=2`);
    assert.equal(p1.body.items.length, 2);
    const p2 = await api(`/postbacks?from=${from}&limit=2&cursor=${p1.body.nextCursor}`);
    assert.deepEqual(
      p2.body.items.map((p: { id: string }) => p.id),
      [first.id],
    );
    assert.equal(p2.body.nextCursor, null);
    const one = await api(`/postbacks/${first.id}`);
    assert.deepEqual(one.body, first);
    assert.equal((await api(`/postbacks/${mintId()}`)).status, 404);
    assert.equal((await api('/postbacks?status=weird')).status, 400);
    assert.equal((await t.http().get('/api/v1/postbacks')).status, 401);
  });

  it('replays a rejected call after a mapping fix', async () => {
    const net = await created(t, '/affiliate-networks', { name: 'Mapped', params: { clickId: 'sub9' } });
    const click = await insertVisit(t, w);
    const r = await t.http().get(`/postback/${net.id}?s1=${click}&payout=4.20&txid=RP-1&token=whatever`);
    assert.deepEqual([r.body.status, r.body.code], ['rejected', 'MISSING_CLICK_ID']);
    const [original] = (await api(`/postbacks?status=rejected&limit=1`)).body.items;
    assert.equal(original.replayable, true);
    const fix = await t
      .http()
      .patch(`/api/v1/affiliate-networks/${net.id}`)
      .set(t.auth)
      .send({ params: { clickId: 's1' } });
    assert.equal(fix.status, 200, fix.text);
    const again = await replay(original.id);
    assert.equal(again.status, 200, again.text);
    assert.equal(again.body.status, 'accepted');
    assert.equal(again.body.replayOf, original.id);
    const c = await conversion(t, again.body.conversionId);
    assert.deepEqual([c.visitEvent.id, c.payload.data.payout, c.transactionId], [click, 4.2, 'RP-1']);
    const after = (await api(`/postbacks/${original.id}`)).body;
    assert.equal(after.replayedBy, again.body.postbackId);
    assert.equal(after.replayable, false);
    const copy = (await api(`/postbacks/${again.body.postbackId}`)).body;
    assert.equal(copy.replayOf, original.id);
    assert.equal(copy.status, 'accepted');
    const twice = await replay(original.id);
    assert.equal(twice.status, 409);
    assert.equal(twice.body.code, 'NOT_REPLAYABLE');
  });

  it('replays an unattributed call once its click exists', async () => {
    const id = mintId();
    const r = await t.http().get(`/postback?clickid=${id}&txid=RP-2&payout=3`);
    assert.equal(r.body.status, 'unattributed');
    const [entry] = (await api(`/postbacks?status=unattributed&limit=1`)).body.items;
    await insertVisit(t, w, id);
    const again = await replay(entry.id);
    assert.deepEqual([again.body.status, again.body.conversionId], ['updated', r.body.conversionId]);
    assert.equal((await conversion(t, r.body.conversionId)).visitEvent.id, id);
  });

  it('refuses to replay accepted calls and token or address refusals', async () => {
    const click = await insertVisit(t, w);
    await t.http().get(`/postback?clickid=${click}&txid=RP-3`);
    const [accepted] = (await api(`/postbacks?status=accepted&limit=1`)).body.items;
    assert.equal((await replay(accepted.id)).status, 409);
    const secure = await created(t, '/affiliate-networks', { name: 'Tokened', postbackToken: 'tok' });
    assert.equal((await t.http().get(`/postback/${secure.id}?clickid=${click}`)).status, 401);
    const listed = await created(t, '/affiliate-networks', { name: 'Listed', allowedIps: ['192.0.2.0/24'] });
    assert.equal((await t.http().get(`/postback/${listed.id}?clickid=${click}`)).status, 403);
    const refused = (await api(`/postbacks?status=rejected&limit=2`)).body.items;
    assert.deepEqual(
      refused.map((p: { code: string }) => p.code),
      ['IP_NOT_ALLOWED', 'INVALID_TOKEN'],
    );
    for (const p of refused) {
      assert.equal(p.replayable, false);
      const r = await replay(p.id);
      assert.equal(r.status, 409);
      assert.equal(r.body.code, 'NOT_REPLAYABLE');
    }
    assert.equal((await replay(mintId())).status, 404);
  });

  it('replays a pixel whose click came from the cookie', async () => {
    const id = mintId();
    await t.http().get('/a.gif?c=2&a=5').set('cookie', `tt_cid=${id}`);
    const [entry] = (await api(`/postbacks?status=unattributed&limit=1`)).body.items;
    assert.equal(entry.endpoint, 'pixel');
    await insertVisit(t, w, id);
    const again = await replay(entry.id);
    assert.equal(again.body.status, 'updated', again.text);
  });
});
