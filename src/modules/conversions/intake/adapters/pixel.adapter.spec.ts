import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accepted, get, normalized, post, refused } from './adapter.fixtures';
import { PixelAdapter } from './pixel.adapter';

const adapter = new PixelAdapter();
const CLICK = '016aee815478a1b2c3d4e5f6';

describe('PixelAdapter', () => {
  it('reads c (type), h (click id) and a (amount)', () => {
    assert.deepEqual(
      accepted(adapter.parse(get(`/a.gif?c=1&h=${CLICK}&a=92.4`), null)),
      normalized({
        clickId: CLICK,
        amount: '92.4',
        conversionType: '1',
      }),
    );
  });

  it('reads the generic names for the rest', () => {
    const call = accepted(adapter.parse(get(`/546b17a70bf18e81647d8950/a.gif?c=cps&h=${CLICK}&a=5&txid=O-1&currency=usd&status=pending`), null));
    assert.deepEqual(
      call,
      normalized({
        clickId: CLICK,
        amount: '5',
        conversionType: 'cps',
        transactionId: 'O-1',
        currency: 'USD',
        status: 'pending',
      }),
    );
  });

  it('takes the click id from the tt_cid cookie when h is absent or a macro', () => {
    assert.deepEqual(
      accepted(adapter.parse(get('/a.gif?c=2&a=5', { tt_cid: CLICK }), null)),
      normalized({
        clickId: CLICK,
        amount: '5',
        conversionType: '2',
        notes: ['click id from the tt_cid cookie'],
      }),
    );
    const macro = accepted(adapter.parse(get('/a.gif?c=2&h={clickid}', { tt_cid: ` ${CLICK} ` }), null));
    assert.equal(macro.clickId, CLICK);
  });

  it('prefers h over the cookie', () => {
    assert.equal(accepted(adapter.parse(get('/a.gif?h=fromquery', { tt_cid: CLICK }), null)).clickId, 'fromquery');
  });

  it('refuses a call with neither h nor a usable cookie', () => {
    const { reason } = refused(adapter.parse(get('/a.gif?c=1&a=1', { tt_cid: '' }), null), 'MISSING_CLICK_ID');
    assert.equal(reason, 'no click id in h, clickid, click_id, cid, subid, aff_sub, tracking and no tt_cid cookie');
  });

  it('refuses garbage amounts but keeps the click for the log', () => {
    const { partial } = refused(adapter.parse(get('/546b17a70bf18e81647d8950/a.gif?c=1&h=%%%&a=abc'), null), 'INVALID_AMOUNT');
    assert.equal(partial.clickId, '%%%');
    assert.equal(partial.conversionType, '1');
  });

  it('ignores any body: an image request has none worth reading', () => {
    assert.equal(accepted(adapter.parse(post(`/a.gif?h=${CLICK}`, '{broken'), null)).clickId, CLICK);
  });
});
