import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mapStatus } from './status.mapper';

describe('mapStatus', () => {
  const table = {
    approved: ['approved', 'approve', 'confirmed', 'sale', 'paid', 'a', 'CONVERSION_STATUS_APPROVED'],
    pending: ['pending', 'hold', 'on_hold', 'p', 'new', 'CONVERSION_STATUS_PENDING', 'CONVERSION_STATUS_ON_HOLD'],
    declined: [
      'declined',
      'decline',
      'rejected',
      'reject',
      'reversed',
      'reversal',
      'chargeback',
      'refund',
      'refunded',
      'cancelled',
      'canceled',
      'deleted',
      'invalid',
      'fraud',
      'd',
      'CONVERSION_STATUS_DECLINED',
      'CONVERSION_STATUS_REJECTED',
      'CONVERSION_STATUS_REFUNDED',
      'CONVERSION_STATUS_FRAUD',
    ],
  } as const;
  for (const [status, words] of Object.entries(table)) {
    it(`maps the SPEC words for ${status}`, () => {
      for (const word of words) assert.deepEqual(mapStatus(word, null), { kind: 'status', status }, word);
    });
  }

  it('ignores case and surrounding space', () => {
    assert.deepEqual(mapStatus('  APPROVED ', null), { kind: 'status', status: 'approved' });
    assert.deepEqual(mapStatus('conversion_status_refunded', null), { kind: 'status', status: 'declined' });
    assert.deepEqual(mapStatus('On_Hold', null), { kind: 'status', status: 'pending' });
  });

  it('marks test calls', () => {
    assert.deepEqual(mapStatus('test', null), { kind: 'test' });
    assert.deepEqual(mapStatus(' CONVERSION_STATUS_TEST', null), { kind: 'test' });
  });

  it('leaves unknown words unknown', () => {
    for (const word of ['lead', 'other', '1', 'CONVERSION_STATUS_NOT_ALLOWED', 'constructor', '__proto__', 'toString']) {
      assert.deepEqual(mapStatus(word, null), { kind: 'unknown' }, word);
    }
  });

  it("consults the network's statusMap first: it adds and overrides", () => {
    const statusMap = { '1': 'approved', '2': 'pending', ' 3 ': 'declined', Hold: 'approved', Trash: 'declined' } as const;
    assert.deepEqual(mapStatus('1', statusMap), { kind: 'status', status: 'approved' });
    assert.deepEqual(mapStatus('3', statusMap), { kind: 'status', status: 'declined' });
    assert.deepEqual(mapStatus('hold', statusMap), { kind: 'status', status: 'approved' });
    assert.deepEqual(mapStatus('TRASH', statusMap), { kind: 'status', status: 'declined' });
    assert.deepEqual(mapStatus('pending', statusMap), { kind: 'status', status: 'pending' });
  });

  it('ignores statusMap entries that are not one of the three statuses', () => {
    assert.deepEqual(mapStatus('approved', { approved: 'maybe' }), { kind: 'status', status: 'approved' });
    assert.deepEqual(mapStatus('x', { x: 'maybe' }), { kind: 'unknown' });
  });
});
