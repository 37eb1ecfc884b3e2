import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { accepted, get, normalized, refused } from './adapter.fixtures';
import { TradetrackerAdapter } from './tradetracker.adapter';

const adapter = new TradetrackerAdapter();
const CLICK = '016aee815478a1b2c3d4e5f6';
const PATH = '/receivers/tradetracker/n1';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('TradetrackerAdapter', () => {
  it('reads a sale: data is the click, tid:pid the transaction, cid the campaign', () => {
    const eml = sha256('jane.doe@example.com');
    const url = `${PATH}?cid=12345&pid=1&ttEventName=sales&tid=ORD-1001&tam=129.99&currency=EUR&qty=3&descrMerchant=ORD-1001&data=${CLICK}&eml=${eml}`;
    assert.deepEqual(
      accepted(adapter.parse(get(url), null)),
      normalized({
        clickId: CLICK,
        transactionId: 'ORD-1001:1',
        amount: '129.99',
        currency: 'EUR',
        conversionType: 'cps',
        extra: { cid: '12345', qty: '3', descrMerchant: 'ORD-1001', emlSha256: eml, pid: '1' },
      }),
    );
  });

  it('gives each product of a basket its own transaction id', () => {
    const first = accepted(adapter.parse(get(`${PATH}?cid=1&pid=10&tid=B-1&tam=20.00&currency=EUR&event=sales&data=${CLICK}`), null));
    const second = accepted(adapter.parse(get(`${PATH}?cid=1&pid=11&tid=B-1&tam=5.50&currency=EUR&event=sales&data=${CLICK}`), null));
    assert.equal(first.transactionId, 'B-1:10');
    assert.equal(second.transactionId, 'B-1:11');
    assert.equal(second.amount, '5.5');
  });

  it('uses tid alone without a pid', () => {
    assert.equal(accepted(adapter.parse(get(`${PATH}?tid=T&tam=1&currency=EUR&data=${CLICK}`), null)).transactionId, 'T');
  });

  it('reads a lead', () => {
    const call = accepted(adapter.parse(get(`${PATH}?cid=1&pid=2&tid=L-1&event=lead&data=${CLICK}`), null));
    assert.equal(call.conversionType, 'cpl');
    assert.equal(call.amount, null);
  });

  it('keeps a TT2 reference with colons as sent', () => {
    const call = accepted(adapter.parse(get(`${PATH}?tid=T&tam=1&currency=EUR&data=0::12345::reference::::1405418672`), null));
    assert.equal(call.clickId, '0::12345::reference::::1405418672');
    assert.equal(accepted(adapter.parse(get(`${PATH}?tid=T&tam=1&currency=EUR&data=0%3A%3A12345`), null)).clickId, '0::12345');
  });

  it('never takes cid as a click id', () => {
    refused(adapter.parse(get(`${PATH}?cid=${CLICK}&tid=L-1&event=lead`), null), 'MISSING_CLICK_ID');
  });

  it('hashes a raw e-mail: trimmed, lower-cased, SHA-256', () => {
    const call = accepted(adapter.parse(get(`${PATH}?data=c&event=lead&eml=%20Jane.Doe%40Example.COM%20`), null));
    assert.deepEqual(call.extra, { emlSha256: sha256('jane.doe@example.com') });
    assert.equal(JSON.stringify(call).includes('Example'), false);
    const upper = sha256('x@y.z').toUpperCase();
    assert.deepEqual(accepted(adapter.parse(get(`${PATH}?data=c&event=lead&eml=${upper}`), null)).extra, { emlSha256: upper.toLowerCase() });
  });

  it('reads a pixel URL copied with &amp; entities', () => {
    const call = accepted(adapter.parse(get(`${PATH}?cid=1&amp;pid=2&amp;tid=T&amp;tam=1&amp;currency=EUR&amp;data=${CLICK}`), null));
    assert.equal(call.clickId, CLICK);
    assert.equal(call.transactionId, 'T:2');
  });

  it('drops unreplaced placeholders', () => {
    const call = accepted(
      adapter.parse(get(`${PATH}?data=${CLICK}&tid=T&event=lead&descrMerchant=%7BdescrMerchant%7D&currency=%7Bcurrency%7D&vc={voucherCode}`), null),
    );
    assert.equal(call.currency, null);
    assert.deepEqual(call.extra, {});
    assert.deepEqual(call.notes, ["currency '{currency}' is an unreplaced macro, treated as absent"]);
  });

  it('refuses a sale without tam or currency, as TradeTracker does; a lead needs neither', () => {
    assert.match(refused(adapter.parse(get(`${PATH}?data=${CLICK}&tid=T&currency=EUR`), null), 'MISSING_AMOUNT').reason, /tam/);
    assert.match(refused(adapter.parse(get(`${PATH}?data=${CLICK}&tid=T&tam=5&event=sales`), null), 'MISSING_CURRENCY').reason, /currency/);
    assert.equal(accepted(adapter.parse(get(`${PATH}?data=${CLICK}&tid=T&event=lead`), null)).conversionType, 'cpl');
  });

  it('refuses a comma amount', () => {
    refused(adapter.parse(get(`${PATH}?data=${CLICK}&tid=T&tam=1.234,56`), null), 'INVALID_AMOUNT');
  });
});
