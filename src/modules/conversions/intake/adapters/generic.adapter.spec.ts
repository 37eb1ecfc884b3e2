import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accepted, get, normalized, post, refused } from './adapter.fixtures';
import type { NetworkSettings } from './adapter.types';
import { GenericAdapter } from './generic.adapter';

const adapter = new GenericAdapter();
const parse = (call: Parameters<GenericAdapter['parse']>[0], network: NetworkSettings | null = null) => adapter.parse(call, network);

describe('GenericAdapter', () => {
  it('reads a Voluum postback', () => {
    const call = accepted(parse(get('/postback?cid=016aee815478a1b2c3d4e5f6&payout=12.34&txid=T-1&et=lead&currency=eur')));
    assert.deepEqual(
      call,
      normalized({
        clickId: '016aee815478a1b2c3d4e5f6',
        transactionId: 'T-1',
        amount: '12.34',
        currency: 'EUR',
        conversionType: 'lead',
      }),
    );
  });

  it('refuses a JSON object or array where one value belongs (INVALID_FIELD_TYPE), naming each', () => {
    const { reason } = refused(parse(post('/postback', { clickid: 'c1', txid: { a: 1 }, payout: [1, 2] })), 'INVALID_FIELD_TYPE');
    assert.match(reason, /txid is a JSON object/);
    assert.match(reason, /payout is a JSON array/);
    refused(parse(post('/postback', { clickid: ['c1', 'c2'], payout: 1 })), 'INVALID_FIELD_TYPE');
    refused(parse(post('/postback', { clickid: 'c1', status: { value: 'approved' } })), 'INVALID_FIELD_TYPE');
    // Objects and arrays under names nobody reads as one value are kept as extras.
    const ok = accepted(parse(post('/postback', { clickid: 'c1', payout: '3', tags: ['a', 'b'], meta: { k: 'v' } })));
    assert.equal(ok.amount, '3');
    // The same repeated name in a query string is not a type error: the first value counts, noted.
    assert.equal(accepted(parse(get('/postback?clickid=c1&payout=1&payout=2'))).amount, '1');
  });

  it('reads a RedTrack postback (clickid, sum, status, type)', () => {
    const call = accepted(parse(get('/postback?clickid=abc&sum=5&status=declined&type=Deposit')));
    assert.deepEqual(call, normalized({ clickId: 'abc', amount: '5', status: 'declined', conversionType: 'Deposit' }));
  });

  it('keeps AdCombo-via-Keitaro values: 21.0, an unmapped word noted, extras kept', () => {
    const call = accepted(parse(get('/postback?subid=51ts6sgr1cbkdhljnrv&payout=21.0&status=confirmed&tid=52949935&from=adcombo.com&status2=x')));
    assert.deepEqual(
      call,
      normalized({
        clickId: '51ts6sgr1cbkdhljnrv',
        transactionId: '52949935',
        amount: '21',
        status: 'approved',
        extra: { from: 'adcombo.com', status2: 'x' },
      }),
    );
    const lead = accepted(parse(get('/postback?subid=abc&status=lead')));
    assert.equal(lead.status, null);
    assert.deepEqual(lead.notes, ["unknown status word 'lead' in status, treated as absent"]);
  });

  describe('click ids are decoded exactly once', () => {
    const cases: [string, string][] = [
      ['aff_sub=abc%2Bdef%2F%3D%3D', 'abc+def/=='], // TUNE, encoded
      ['aff_sub=abc+def/==', 'abc def/=='], // `+` is a space under query decoding; kept inside
      ['clickid=%2541', '%41'], // double encoding stays single-decoded
      ['clickid=%252B', '%2B'],
      ['clickid=ab%25cd', 'ab%cd'],
      ['clickid=a%7Eb', 'a~b'],
      ['clickid=%20%09abc%20def%20', 'abc def'], // surrounding white space trimmed only
      ['clickid=a%26b%3Dc%3A%3Bd', 'a&b=c:;d'],
      ['clickid=%C3%A9t%C3%A9', 'été'],
      ['clickid=%%%', '%%%'], // malformed escapes arrive as they were sent
    ];
    for (const [query, clickId] of cases) {
      it(`${query} -> ${clickId}`, () => assert.equal(accepted(parse(get(`/postback?${query}`))).clickId, clickId));
    }
    it('an unencoded & splits the click id, as it did at the sender', () => {
      const call = accepted(parse(get('/postback?clickid=abc&def=1&payout=2')));
      assert.equal(call.clickId, 'abc');
      assert.deepEqual(call.extra, { def: '1' });
    });
  });

  describe('missing click ids', () => {
    for (const query of ['payout=1', 'clickid=&payout=1', 'aff_sub=%20', 'subid=%7Bsubacc4%7D', 'cid=REPLACE&payout=OPTIONAL', 'clickid=%257Bclickid%257D']) {
      it(`${query} -> MISSING_CLICK_ID`, () => {
        const { reason } = refused(parse(get(`/postback?${query}`)), 'MISSING_CLICK_ID');
        assert.equal(reason, 'no click id in clickid, click_id, cid, subid, aff_sub, tracking, h');
      });
    }
    it('the Keitaro capture with every macro unreplaced keeps its notes', () => {
      const { partial } = refused(
        parse(get('/postback?subid=%7Bsubacc4%7D&payout=%7Brevenue%7D&status=%7Bstatus%7D&tid=%7Btrans_id%7D&from=adcombo.com')),
        'MISSING_CLICK_ID',
      );
      assert.deepEqual(partial.notes, [
        "subid '{subacc4}' is an unreplaced macro, treated as absent",
        "payout '{revenue}' is an unreplaced macro, treated as absent",
        "tid '{trans_id}' is an unreplaced macro, treated as absent",
        "status '{status}' is an unreplaced macro, treated as absent",
      ]);
      assert.deepEqual(partial.extra, { from: 'adcombo.com' });
    });
  });

  describe('amounts', () => {
    for (const payout of ['12,50', '1.234,00', 'NaN', '1E%2B21', 'abc', 'USD19.99']) {
      it(`payout=${payout} -> INVALID_AMOUNT, with the click and transaction for the log`, () => {
        const { partial } = refused(parse(get(`/postback?clickid=c1&payout=${payout}&txid=B-1`)), 'INVALID_AMOUNT');
        assert.equal(partial.clickId, 'c1');
        assert.equal(partial.transactionId, 'B-1');
      });
    }
    it('0 is an amount; a negative amount passes through for the service to judge', () => {
      assert.equal(accepted(parse(get('/postback?clickid=c&payout=0'))).amount, '0');
      assert.equal(accepted(parse(get('/postback?clickid=c&payout=-5.00&txid=T'))).amount, '-5');
      assert.equal(accepted(parse(get('/postback?clickid=c&payout=15000000000'))).amount, '15000000000');
    });
    it('macros and empty values are absent, noted', () => {
      const call = accepted(parse(get('/postback?clickid=c&payout=%7Bpayout%7D&txid=OPTIONAL')));
      assert.deepEqual(
        call,
        normalized({
          clickId: 'c',
          notes: ["payout '{payout}' is an unreplaced macro, treated as absent", "txid 'OPTIONAL' is an unreplaced macro, treated as absent"],
        }),
      );
      const encoded = accepted(parse(get('/postback?clickid=c&payout=%257Bpayout%257D')));
      assert.deepEqual(encoded.notes, ["payout '%7Bpayout%7D' is an unreplaced macro, treated as absent"]);
    });
    it('the first usable amount name wins', () => {
      assert.equal(accepted(parse(get('/postback?clickid=c&payout=&amount=12.50'))).amount, '12.5');
    });
  });
});
