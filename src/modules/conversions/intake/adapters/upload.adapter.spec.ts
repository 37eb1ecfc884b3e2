import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainException } from '../../../../common/domain.exception';
import { readCsv } from '../conversion-upload.service';
import { UploadAdapter } from './upload.adapter';

const row = (fields: Record<string, unknown>) =>
  new UploadAdapter().parse(
    { method: 'POST', url: '/api/v1/conversions/upload', query: {}, body: JSON.stringify(fields), contentType: 'application/json', cookies: {} },
    null,
  );

describe('upload rows', () => {
  it('reads the upload columns, whatever a network calls them', () => {
    const r = row({ clickId: ' c1 ', transactionId: 'T1', payout: '12.50', currency: 'eur', status: 'approved', type: 'sale', time: '1764800000' });
    assert.ok(r.ok);
    assert.deepEqual(
      [r.call.clickId, r.call.transactionId, r.call.amount, r.call.currency, r.call.status, r.call.conversionType, r.call.occurredAt?.toISOString()],
      ['c1', 'T1', '12.5', 'EUR', 'approved', 'sale', '2025-12-03T22:13:20.000Z'],
    );
    const generic = row({ clickid: 'c1' });
    assert.equal(generic.ok, false, 'generic names are not upload columns');
  });
  it('names a column it does not know, and notes a time it cannot read', () => {
    const r = row({ clickId: 'c1', comission: '3', extra: { a: 1 } });
    assert.deepEqual(r.ok ? null : [r.code, r.reason], [
      'UNKNOWN_FIELD',
      "unknown column 'comission', 'extra'; the columns are clickId, transactionId, payout, currency, status, type, time",
    ]);
    const t = row({ clickId: 'c1', time: 'yesterday' });
    assert.ok(t.ok);
    assert.equal(t.call.occurredAt, undefined);
    assert.match(t.call.notes.join(' '), /time 'yesterday' is not ISO 8601/);
  });
  it('a missing click id or a bad amount is the same refusal as for a postback', () => {
    const none = row({ transactionId: 'x', payout: '1' });
    assert.equal(none.ok ? null : none.code, 'MISSING_CLICK_ID');
    const bad = row({ clickId: 'c', payout: 'ten' });
    assert.equal(bad.ok ? null : bad.code, 'INVALID_AMOUNT');
  });
});

describe('upload CSV', () => {
  it('takes a BOM, CRLF, quoted fields and columns in any order', async () => {
    const rows = await readCsv('\ufeffstatus,clickId,payout\r\napproved,"a,b",1\r\n\r\n"pending",c2,"2.5"\r\n');
    assert.deepEqual(rows, [
      { status: 'approved', clickId: 'a,b', payout: '1' },
      { status: 'pending', clickId: 'c2', payout: '2.5' },
    ]);
  });
  it('refuses an unknown or repeated column, a header without clickId, and a ragged row', async () => {
    const problem = async (text: string) => {
      try {
        await readCsv(text);
        return null;
      } catch (e) {
        assert.ok(e instanceof DomainException);
        return e.message;
      }
    };
    assert.match((await problem('clickId,subid\nx,1\n'))!, /unknown column "subid"/);
    assert.match((await problem('clickId,payout,payout\nx,1,2\n'))!, /appears twice/);
    assert.match((await problem('payout\n1\n'))!, /must name clickId/);
    assert.match((await problem('clickId,payout\nx,1,2\n'))!, /cannot be read/);
  });
});
