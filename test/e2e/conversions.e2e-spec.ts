import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mintId } from '../../src/common/ids';
import { startTestApp, TestApp } from '../support/test-app';
import { clickThrough, conversion, ConversionWorld, countRows, created, insertVisit, makeWorld } from '../support/conversion-world';

const CHROME = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_14_1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.110 Safari/537.36';

describe('conversions in: endpoints and rules', () => {
  let t: TestApp;
  let w: ConversionWorld;
  before(async () => {
    t = await startTestApp();
    w = await makeWorld(t);
  });
  after(() => t.close());

  const get = (path: string) => t.http().get(path);
  const conversionsOf = (click: string) => countRows(t, `SELECT 1 FROM conversions WHERE click_id = $1`, [click]);

  it('generic GET: accepted, duplicate, then updated by a new status', async () => {
    const click = await insertVisit(t, w);
    const r = await get(`/postback?aff_sub=${click}&payout=92.4&txid=T1`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.status, 'accepted');
    assert.match(r.body.conversionId, /^[0-9a-f]{24}$/);
    assert.deepEqual((await get(`/postback?aff_sub=${click}&payout=92.4&txid=T1`)).body, { status: 'duplicate', conversionId: r.body.conversionId });
    assert.equal((await conversion(t, r.body.conversionId)).status, 'approved');
    const u = await get(`/postback?aff_sub=${click}&payout=92.4&txid=T1&status=declined`);
    assert.deepEqual(u.body, { status: 'updated', conversionId: r.body.conversionId });
    const c = await conversion(t, r.body.conversionId);
    assert.equal(c.status, 'declined');
    assert.deepEqual(
      c.history.map((h: { status: string }) => h.status),
      ['approved', 'declined'],
    );
  });

  it('generic POST: form and JSON bodies', async () => {
    const a = await insertVisit(t, w);
    const form = await t
      .http()
      .post('/postback')
      .set('content-type', 'application/x-www-form-urlencoded')
      .send(`clickid=${a}&sum=7.25&currency=eur&status=hold`);
    assert.equal(form.body.status, 'accepted', form.text);
    const cf = await conversion(t, form.body.conversionId);
    assert.equal(cf.status, 'pending');
    assert.equal(cf.payload.data.payout, 7.25);
    assert.equal(cf.currency, 'EUR');
    const b = await insertVisit(t, w);
    const json = await t.http().post('/postback').send({ click_id: b, payout: '5.00', transaction_id: 'J-1' });
    assert.equal(json.body.status, 'accepted', json.text);
    assert.equal((await conversion(t, json.body.conversionId)).transactionId, 'J-1');
  });

  it('records a click made through the redirect', async () => {
    const click = await clickThrough(t, w);
    const r = await get(`/postback?clickid=${click}&payout=10`);
    assert.equal(r.body.status, 'accepted', r.text);
    assert.equal((await conversion(t, r.body.conversionId)).visitEvent.id, click);
  });

  it('pixel: a typed conversion, always a 1x1 GIF with no-store', async () => {
    const click = await insertVisit(t, w);
    const r = await get(`/a.gif?c=1&h=${click}&a=92.4`).set('user-agent', CHROME);
    assert.equal(r.status, 200);
    assert.match(r.headers['content-type'], /image\/gif/);
    assert.match(r.headers['cache-control'], /no-store/);
    assert.equal(Buffer.from(r.body).subarray(0, 4).toString('latin1'), 'GIF8');
    const [row] = await t.db.query(`SELECT id FROM conversions WHERE click_id = $1`, [click]);
    const c = await conversion(t, row.id);
    assert.equal(c.payload.data.conversion_type, 'cps');
    assert.equal(c.payload.data.conversion_id, '1');
    assert.equal(c.payload.data.payout, 92.4);
    assert.match(c.source.url, /^\/a\.gif\?/);
    assert.equal(c.client.agent.family, 'Chrome');
    for (const path of [`/546b17a70bf18e81647d8950/a.gif?c=1&h=%%%&a=abc`, `/a.gif`, `/a.gif?c=nope&h=${click}`, `/x/a.gif?a=1,5&h=${click}`]) {
      const g = await get(path);
      assert.equal(g.status, 200, path);
      assert.match(g.headers['content-type'], /image\/gif/, path);
    }
  });

  it('pixel: the tt_cid cookie names the click when h is absent', async () => {
    const click = await insertVisit(t, w);
    assert.equal((await get('/a.gif?c=2&a=5').set('cookie', `other=1; tt_cid=${click}`)).status, 200);
    const [row] = await t.db.query(`SELECT conversion_type_id, payout FROM conversions WHERE click_id = $1`, [click]);
    assert.equal(row.conversion_type_id, '2');
    assert.equal(Number(row.payout), 5);
  });

  it('HEAD answers 200 and records nothing', async () => {
    const click = await insertVisit(t, w);
    const before = await countRows(t, 'SELECT 1 FROM postbacks');
    for (const path of [
      `/postback?clickid=${click}&payout=1`,
      `/a.gif?h=${click}`,
      `/tracking/conversion/v1?cid=${click}`,
      `/receivers/tradedoubler?epi=${click}`,
      `/receivers/tradetracker?data=${click}`,
    ]) {
      assert.equal((await t.http().head(path)).status, 200, path);
    }
    assert.equal(await conversionsOf(click), 0);
    assert.equal(await countRows(t, 'SELECT 1 FROM postbacks'), before);
  });

  it('Trackdesk: GET pending, POST approved (updated), the same POST again (duplicate)', async () => {
    const type = await created(t, '/conversion-types', { code: 'purchase_td', name: 'Purchase' });
    const click = await insertVisit(t, w);
    const g = await get(
      `/tracking/conversion/v1?conversionTypeCode=${type.code}&cid=${click}&amount.value=100.50&currency.code=EUR&externalId=ORD-1&customerId=C9&customParams.advS1=alpha&status=CONVERSION_STATUS_PENDING`,
    );
    assert.equal(g.body.status, 'accepted', g.text);
    const body = {
      conversionTypeCode: type.code,
      cid: click,
      amount: { value: '100.50' },
      currency: { code: 'EUR' },
      externalId: 'ORD-1',
      status: 'CONVERSION_STATUS_APPROVED',
    };
    const p = await t.http().post('/tracking/conversion/v1').send(body);
    assert.deepEqual(p.body, { status: 'updated', conversionId: g.body.conversionId });
    assert.equal((await t.http().post('/tracking/conversion/v1').send(body)).body.status, 'duplicate');
    const c = await conversion(t, g.body.conversionId);
    assert.equal(c.status, 'approved');
    assert.equal(c.payload.data.payout, 100.5);
    assert.equal(c.payload.data.conversion_type, type.code);
    assert.equal(c.currency, 'EUR');
    assert.equal(c.extra.advS1, 'alpha');
  });

  it('Tradedoubler: GET, JSON, a late XML message, and the custom format', async () => {
    const td = await created(t, '/affiliate-networks', { name: 'Tradedoubler', kind: 'tradedoubler' });
    const click = await insertVisit(t, w);
    const path = `/receivers/tradedoubler/${td.id}`;
    const g = await get(`${path}?transactionId=TX-1&orderNumber=O-1&orderValue=59.90&currencyId=EUR&messageTypeId=1&sequenceNumber=1&epi=${click}&eventId=77`);
    assert.equal(g.body.status, 'accepted', g.text);
    const j = await t
      .http()
      .post(path)
      .send({ transactionId: 'TX-1', orderValue: '59.90', currencyId: 'EUR', messageTypeId: 6, sequenceNumber: '3', epi: click });
    assert.deepEqual(j.body, { status: 'updated', conversionId: g.body.conversionId });
    const xml = `<?xml version="1.0" encoding="UTF-8"?><conversion><transactionId>TX-1</transactionId><orderValue>45.00</orderValue><currencyId>EUR</currencyId><messageTypeId>5</messageTypeId><sequenceNumber>2</sequenceNumber><epi>${click}</epi></conversion>`;
    const x = await t.http().post(path).set('content-type', 'application/xml').send(xml);
    assert.equal(x.status, 200, x.text);
    assert.equal(x.body.status, 'duplicate');
    const c = await conversion(t, g.body.conversionId);
    assert.equal(c.status, 'approved');
    assert.equal(c.payload.data.payout, 59.9);
    assert.equal(c.reportingNetworkId, td.id);
    assert.equal(c.destination.affiliateNetwork.id, w.networkId, 'destination.affiliateNetwork is the offer network');
    const [late] = await t.db.query(`SELECT notes FROM postbacks WHERE conversion_id = $1 AND outcome = 'duplicate'`, [g.body.conversionId]);
    assert.match(late.notes.join(' '), /sequenceNumber 2 is not greater than the last applied 3/);
    const click2 = await insertVisit(t, w);
    const k = await t
      .http()
      .post(path)
      .set('content-type', 'text/plain')
      .send(`transactionId=TX-2, orderValue=10.00, currencyId=EUR, messageTypeId=5, sequenceNumber=1, epi=${click2}`);
    assert.equal(k.body.status, 'accepted', k.text);
    assert.equal((await conversion(t, k.body.conversionId)).status, 'approved');
  });

  it('Tradedoubler: the custom format sent as a form, deniedReasonId kept, timeOfEvent as the conversion time when sane', async () => {
    const td = await created(t, '/affiliate-networks', { name: 'Tradedoubler 2', kind: 'tradedoubler' });
    const path = `/receivers/tradedoubler/${td.id}`;
    const hourAgo = Date.now() - 3600_000;
    const click = await insertVisit(t, w, hourAgo.toString(16).padStart(12, '0') + 'aa00bb11cc22');
    const event = new Date(hourAgo + 600_000).toISOString(); // ten minutes after the click
    const form = await t
      .http()
      .post(path)
      .set('content-type', 'application/x-www-form-urlencoded')
      .send(`transactionId=TX-F, orderValue=20.00, currencyId=EUR, messageTypeId=1, epi=${click}, timeOfEvent=${event}`);
    assert.equal(form.body.status, 'accepted', form.text);
    let c = await conversion(t, form.body.conversionId);
    assert.equal(c.visitEvent.id, click, 'the custom body was read as such, not as one bogus form field');
    assert.equal(c.payload.data.payout, 20);
    assert.equal(c.created_at, event, 'timeOfEvent is the conversion time');
    const denied = await get(`${path}?transactionId=TX-F&messageTypeId=8&deniedReasonId=12&epi=${click}`);
    assert.equal(denied.body.status, 'updated', denied.text);
    c = await conversion(t, form.body.conversionId);
    assert.equal(c.status, 'declined');
    assert.equal(c.extra.deniedReasonId, '12');
    assert.match(c.history.at(-1).note, /deniedReasonId '?12'?/);
    // In the future or before the click: the time of the call counts, and the log says why.
    const future = await get(`${path}?transactionId=TX-G&orderValue=1&epi=${click}&timeOfEvent=${new Date(Date.now() + 86400_000).toISOString()}`);
    const before = await get(`${path}?transactionId=TX-H&orderValue=1&epi=${click}&timeOfEvent=${new Date(hourAgo - 60_000).toISOString()}`);
    for (const r of [future, before]) {
      assert.equal(r.body.status, 'accepted', r.text);
      const x = await conversion(t, r.body.conversionId);
      assert.ok(Math.abs(Date.parse(x.created_at) - Date.now()) < 60_000, x.created_at);
      assert.equal(typeof x.extra.timeOfEvent, 'string');
    }
    const [log] = await t.db.query(`SELECT notes FROM postbacks WHERE conversion_id = $1`, [before.body.conversionId]);
    assert.match(log.notes.join(' '), /is before its click/);
  });

  it('TradeTracker: data is the click, tid:pid the transaction, e-mail hashed', async () => {
    const tt = await created(t, '/affiliate-networks', { name: 'TradeTracker', kind: 'tradetracker' });
    const click = await insertVisit(t, w);
    const base = `/receivers/tradetracker/${tt.id}?cid=12345&ttEventName=sales&tid=ORD-1001&currency=EUR&qty=3&descrMerchant=ORD-1001&data=${click}&eml=Jane.Doe@Example.com`;
    const r = await get(`${base}&pid=1&tam=129.99`);
    assert.equal(r.body.status, 'accepted', r.text);
    const c = await conversion(t, r.body.conversionId);
    assert.equal(c.payload.data.payout, 129.99);
    assert.equal(c.visitEvent.id, click);
    assert.equal(c.transactionId, 'ORD-1001:1');
    const second = await get(`${base}&pid=2&tam=20`);
    assert.equal(second.body.status, 'accepted', 'a second product of the basket is its own conversion');
    assert.equal((await get(`${base}&pid=2&tam=20`)).body.status, 'duplicate');
    const stored = JSON.stringify(await t.db.query(`SELECT * FROM postbacks`)) + JSON.stringify(await t.db.query(`SELECT * FROM conversions`));
    assert.ok(!/jane\.doe/i.test(stored), 'a raw e-mail is never stored');
  });

  it('a JSON object or array where one value belongs is rejected (200) with INVALID_FIELD_TYPE and logged, nothing stored', async () => {
    const click = await insertVisit(t, w);
    const r = await t
      .http()
      .post('/postback')
      .send({ clickid: click, txid: { a: 1 }, payout: [1, 2] });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([r.body.status, r.body.code], ['rejected', 'INVALID_FIELD_TYPE'], r.text);
    assert.equal(await conversionsOf(click), 0);
    const log = await t.http().get('/api/v1/postbacks?status=rejected&limit=1000').set(t.auth);
    const entry = log.body.items.find((p: { body: string | null; code: string }) => p.code === 'INVALID_FIELD_TYPE' && (p.body ?? '').includes(click));
    assert.ok(entry, JSON.stringify(log.body.items.slice(0, 3)));
    assert.match(entry.reason, /payout is a JSON array, txid is a JSON object/);
  });

  it('bad amounts are rejected (200) and logged; unreplaced macros fall back to the offer payout', async () => {
    const click = await insertVisit(t, w);
    for (const amount of ['12,50', '1.234,00', 'NaN', '1E%2B21', 'USD19.99']) {
      const r = await get(`/postback?clickid=${click}&payout=${amount}&txid=B-${amount}`);
      assert.equal(r.status, 200, amount);
      assert.deepEqual([r.body.status, r.body.code], ['rejected', 'INVALID_AMOUNT'], amount);
    }
    assert.equal(await conversionsOf(click), 0);
    const log = await t.http().get('/api/v1/postbacks?status=rejected&limit=1000').set(t.auth);
    assert.ok(log.body.items.some((p: { url: string; code: string }) => p.url.includes('B-12,50') && p.code === 'INVALID_AMOUNT'));
    for (const macro of ['{payout}', '%7Bpayout%7D', '${orderValue}', '#s2#', '[[x]]', '!!!x!!!', 'REPLACE', 'OPTIONAL', '']) {
      const m = await get(`/postback?clickid=${click}&payout=${encodeURIComponent(macro)}&txid=M-${encodeURIComponent(macro)}`);
      assert.equal(m.body.status, 'accepted', `${macro}: ${m.text}`);
      assert.equal((await conversion(t, m.body.conversionId)).payload.data.payout, 92.4, macro);
    }
  });

  it('a fixed payout ignores the reported amount but keeps it in the history', async () => {
    const fw = await makeWorld(t, { payout: { type: 'fixed', amount: '12.50', currency: 'EUR' } });
    const click = await insertVisit(t, fw);
    const r = await get(`/postback?clickid=${click}&payout=99.99&currency=USD&txid=F-1`);
    const c = await conversion(t, r.body.conversionId);
    assert.equal(c.payload.data.payout, 12.5);
    assert.equal(c.payload.data.payoutCents, 1250);
    assert.equal(c.currency, 'EUR');
    assert.equal(c.reportedAmount, 99.99);
    assert.equal(c.history[0].reportedAmount, 99.99);
  });

  it('status words, the network statusMap and defaultStatus', async () => {
    const net = await created(t, '/affiliate-networks', {
      name: 'Affise',
      statusMap: { '1': 'approved', '2': 'pending', '3': 'declined' },
      defaultStatus: 'pending',
    });
    const click = await insertVisit(t, w);
    const n = await get(`/postback/${net.id}?subid=${click}&txid=S-1`);
    assert.equal((await conversion(t, n.body.conversionId)).status, 'pending', 'the network default');
    assert.equal((await get(`/postback/${net.id}?subid=${click}&txid=S-1&status=1`)).body.status, 'updated');
    assert.equal((await conversion(t, n.body.conversionId)).status, 'approved');
    assert.equal((await get(`/postback/${net.id}?subid=${click}&txid=S-1&status=%20CONVERSION_STATUS_FRAUD%20`)).body.status, 'updated');
    assert.equal((await conversion(t, n.body.conversionId)).status, 'declined');
    const unknown = await get(`/postback?clickid=${click}&txid=S-2&status=weird`);
    assert.equal(unknown.body.status, 'accepted');
    assert.equal((await conversion(t, unknown.body.conversionId)).status, 'approved');
    const [log] = await t.db.query(`SELECT notes FROM postbacks WHERE conversion_id = $1`, [unknown.body.conversionId]);
    assert.match(log.notes.join(' '), /unknown status word 'weird'/);
  });

  it('a network named in the path renames fields with its params', async () => {
    const impact = await created(t, '/affiliate-networks', {
      name: 'Impact',
      params: { clickId: 'SubId1', payout: 'Payout', transactionId: 'ActionId', status: 'Status' },
    });
    const click = await insertVisit(t, w);
    const r = await get(`/postback/${impact.id}?SubId1=${click}&Payout=3.30&ActionId=A-9&Status=APPROVED&clickid=nope`);
    assert.equal(r.body.status, 'accepted', r.text);
    const c = await conversion(t, r.body.conversionId);
    assert.deepEqual([c.visitEvent.id, c.payload.data.payout, c.transactionId], [click, 3.3, 'A-9']);
  });

  it('never back to pending; approved and declined swap; reversal declines and keeps the payout', async () => {
    const click = await insertVisit(t, w);
    const r = await get(`/postback?clickid=${click}&payout=40&txid=L-1&status=approved`);
    const back = await get(`/postback?clickid=${click}&payout=40&txid=L-1&status=pending`);
    assert.equal(back.body.status, 'duplicate');
    assert.equal((await conversion(t, r.body.conversionId)).status, 'approved');
    const rev = await get(`/postback?clickid=${click}&payout=-40&txid=L-1`);
    assert.equal(rev.body.status, 'updated');
    const c = await conversion(t, r.body.conversionId);
    assert.equal(c.status, 'declined');
    assert.equal(c.payload.data.payout, 40);
    assert.equal(c.history.at(-1).reportedAmount, -40);
    assert.match(c.history.at(-1).note, /reversal/);
    assert.equal((await get(`/postback?clickid=${click}&txid=L-1&status=approved`)).body.status, 'updated');
    const neg = await get(`/postback?clickid=${click}&payout=-5&txid=L-NEW`);
    assert.deepEqual([neg.body.status, neg.body.code], ['rejected', 'NEGATIVE_AMOUNT']);
  });

  it('a repeat naming another click changes nothing about the attribution', async () => {
    const a = await insertVisit(t, w);
    const b = await insertVisit(t, w);
    const r = await get(`/postback?clickid=${a}&payout=1&txid=X-1`);
    const d = await get(`/postback?clickid=${b}&payout=1&txid=X-1`);
    assert.deepEqual(d.body, { status: 'duplicate', conversionId: r.body.conversionId });
    assert.equal((await conversion(t, r.body.conversionId)).visitEvent.id, a);
    const [log] = await t.db.query(`SELECT notes FROM postbacks WHERE conversion_id = $1 AND outcome = 'duplicate'`, [r.body.conversionId]);
    assert.match(log.notes.join(' '), /attribution unchanged/);
  });

  it('without a transaction id: one per click and type, unless the type allows several', async () => {
    const click = await insertVisit(t, w);
    const first = await get(`/postback?clickid=${click}&payout=1`);
    assert.equal((await get(`/postback?clickid=${click}&payout=1`)).body.status, 'duplicate');
    assert.equal((await get(`/postback?clickid=${click}&payout=1&type=LEAD`)).body.status, 'accepted', 'another type (an alias, any case)');
    assert.notEqual(first.body.status, 'rejected');
    await created(t, '/conversion-types', { id: 'dep', code: 'deposit', name: 'Deposit', multiplePerClick: true });
    assert.equal((await get(`/postback?clickid=${click}&payout=1&et=deposit`)).body.status, 'accepted');
    assert.equal((await get(`/postback?clickid=${click}&payout=1&et=DEP`)).body.status, 'accepted');
    assert.equal(await countRows(t, `SELECT 1 FROM conversions WHERE click_id = $1 AND conversion_type_id = 'dep'`, [click]), 2);
  });

  it('refuses calls the rules refuse: no click id, a test, an unknown type', async () => {
    const click = await insertVisit(t, w);
    const cases: [string, string][] = [
      ['/postback?payout=1', 'MISSING_CLICK_ID'],
      ['/postback?clickid=&payout=1', 'MISSING_CLICK_ID'],
      ['/postback?clickid={clickid}&payout=1', 'MISSING_CLICK_ID'],
      [`/postback?clickid=${click}&status=test`, 'TEST_CONVERSION'],
      [`/tracking/conversion/v1?cid=${click}&status=CONVERSION_STATUS_TEST`, 'TEST_CONVERSION'],
      [`/postback?clickid=${click}&type=nosuchtype`, 'UNKNOWN_CONVERSION_TYPE'],
    ];
    for (const [path, code] of cases) {
      const r = await get(path);
      assert.equal(r.status, 200, path);
      assert.deepEqual([r.body.status, r.body.code], ['rejected', code], path);
      assert.equal(typeof r.body.message, 'string');
    }
    assert.equal(await conversionsOf(click), 0, 'nothing recorded');
  });

  it('an unknown click is kept unattributed, then attributed once the click is there', async () => {
    const id = mintId();
    const r = await get(`/postback?clickid=${id}&txid=U-1`);
    assert.equal(r.body.status, 'unattributed');
    const before = await conversion(t, r.body.conversionId);
    assert.equal(before.visitEvent, null);
    assert.equal(before.destination.campaign, null);
    await insertVisit(t, w, id);
    const again = await get(`/postback?clickid=${id}&txid=U-1`);
    assert.deepEqual(again.body, { status: 'updated', conversionId: r.body.conversionId });
    const c = await conversion(t, r.body.conversionId);
    assert.equal(c.visitEvent.id, id);
    assert.equal(c.destination.campaign.id, w.campaignId);
    assert.equal(c.payload.data.payout, 92.4, 'the offer payout applies once attributed');
    assert.equal((await get(`/postback?clickid=${id}&txid=U-1`)).body.status, 'duplicate');
    assert.equal(await countRows(t, `SELECT 1 FROM conversions WHERE click_id = $1`, [id]), 1);
  });

  it('a conversion the click writer attributed (its key still without a network) stays one conversion', async () => {
    const id = mintId();
    const r = await get(`/postback?clickid=${id}&txid=Z-1&payout=2`);
    assert.equal(r.body.status, 'unattributed');
    await insertVisit(t, w, id);
    // What the click writer does when the click arrives: the visit fields, not the key.
    await t.db.query(
      `UPDATE conversions c SET visit_id = v.id, visit_created_at = v.created_at, campaign_id = v.campaign_id, offer_id = v.offer_id
         FROM visits v WHERE v.id = c.click_id AND c.click_id = $1`,
      [id],
    );
    assert.deepEqual((await get(`/postback?clickid=${id}&txid=Z-1&payout=2`)).body, { status: 'duplicate', conversionId: r.body.conversionId });
    assert.deepEqual((await get(`/postback?clickid=${id}&txid=Z-1&payout=3`)).body, { status: 'updated', conversionId: r.body.conversionId });
    assert.equal(await countRows(t, `SELECT 1 FROM conversions WHERE click_id = $1`, [id]), 1);
  });
});
