import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { accepted, get, normalized, post, refused } from './adapter.fixtures';
import type { NetworkSettings } from './adapter.types';
import { GenericAdapter } from './generic.adapter';

const adapter = new GenericAdapter();
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const parse = (call: Parameters<GenericAdapter['parse']>[0], network: NetworkSettings | null = null) => adapter.parse(call, network);
const network = (over: Partial<NetworkSettings>): NetworkSettings => ({ kind: 'generic', params: {}, statusMap: {}, ...over });

describe('GenericAdapter: bodies, networks, tokens', () => {
  it('reads a form body, body fields winning over the query', () => {
    const call = accepted(parse(post('/postback?clickid=q&payout=1&x=1', 'payout=2.50&txid=F-1&clickid=abc%2Bd', 'application/x-www-form-urlencoded')));
    assert.deepEqual(call, normalized({ clickId: 'abc+d', amount: '2.5', transactionId: 'F-1', extra: { x: '1' } }));
  });

  it('reads a JSON body with quoted and bare numbers (Impact style)', () => {
    const call = accepted(parse(post('/postback', '{"click_id":"abc","payout":"5.00","txid":12345678901234567890,"amount":7,"status":"APPROVED"}')));
    assert.deepEqual(call, normalized({ clickId: 'abc', amount: '5', transactionId: '12345678901234567890', status: 'approved', extra: { amount: '7' } }));
    assert.equal(accepted(parse(post('/postback', '{"clickid":"a","payout":12.50}'))).amount, '12.5');
  });

  it('refuses a JSON exponent amount and a body that does not parse', () => {
    refused(parse(post('/postback', '{"clickid":"a","payout":1e21}')), 'INVALID_AMOUNT');
    const { reason } = refused(parse(post('/postback', '{"tid" : {tid}, "clickid": "a",}')), 'UNPARSABLE_BODY');
    assert.equal(reason, 'the body is not valid JSON');
  });

  it('takes the first of repeated names and says so', () => {
    const call = accepted(parse(get('/postback?clickid=a&clickid=b')));
    assert.equal(call.clickId, 'a');
    assert.deepEqual(call.notes, ['clickid was given 2 times, the first value was used']);
  });

  it('refuses test conversions', () => {
    refused(parse(get('/postback?clickid=a&status=test')), 'TEST_CONVERSION');
    const { reason } = refused(parse(get('/postback?status=CONVERSION_STATUS_TEST')), 'TEST_CONVERSION');
    assert.equal(reason, "status 'CONVERSION_STATUS_TEST' marks a test conversion, nothing is recorded");
  });

  it("maps numeric codes through the network's statusMap (Affise)", () => {
    const affise = network({ statusMap: { '1': 'approved', '2': 'pending', '3': 'declined', '5': 'approved' } });
    assert.equal(accepted(parse(get('/postback?clickid=a&status=5'), affise)).status, 'approved');
    assert.equal(accepted(parse(get('/postback?clickid=a&status=3'), affise)).status, 'declined');
    const plain = accepted(parse(get('/postback?clickid=a&status=5')));
    assert.equal(plain.status, null);
    assert.deepEqual(plain.notes, ["unknown status word '5' in status, treated as absent"]);
  });

  it("uses the network's params instead of the default names", () => {
    const cake = network({ params: { clickId: 's2', payout: 'price', transactionId: 'leadid' } });
    const call = accepted(parse(get('/postback/n1?s2=abc&price=3.10&leadid=L1&clickid=other&payout=9'), cake));
    assert.deepEqual(call, normalized({ clickId: 'abc', amount: '3.1', transactionId: 'L1', extra: { clickid: 'other', payout: '9' } }));
    refused(parse(get('/postback/n1?s2=%23s2%23&price=1'), cake), 'MISSING_CLICK_ID');
    const awin = network({ params: { clickId: 'clickref', payout: 'commission' } });
    refused(parse(get('/postback/n2?clickref=!!!clickref!!!&commission=1.64'), awin), 'MISSING_CLICK_ID');
  });

  it('reads NATS form posts with PHP bracket keys and never keeps the password or a raw e-mail', () => {
    const nats = network({
      params: {
        clickId: 'subid1',
        payout: 'transaction[amount]',
        currency: 'transaction[biller_currency]',
        status: 'post_type',
        transactionId: 'transaction[transaction_id]',
      },
      statusMap: { approval: 'approved', rebill: 'approved', chargeback: 'declined' },
    });
    const body =
      'subid1=abc&post_type=approval&transaction%5Bamount%5D=29.95&transaction%5Bbiller_currency%5D=USD&transaction%5Btransaction_id%5D=99&member%5Bpassword%5D=hunter2&member%5Bemail%5D=Jane%40Example.com';
    const call = accepted(parse(post('/postback/n3', body, 'application/x-www-form-urlencoded'), nats));
    assert.deepEqual(
      call,
      normalized({
        clickId: 'abc',
        amount: '29.95',
        currency: 'USD',
        status: 'approved',
        transactionId: '99',
        extra: { 'member[email]': sha256('jane@example.com') },
      }),
    );
  });

  it('reads the token from token or api_key, and never keeps it as an extra', () => {
    assert.equal(accepted(parse(get('/postback?tracking=a&amount=12.50&api_key=k1'))).token, 'k1');
    const call = accepted(parse(get('/postback?clickid=a&token=t1&api_key=k1&secret=s')));
    assert.equal(call.token, 't1');
    assert.deepEqual(call.extra, {});
  });

  it('treats a currency that is not three letters as absent', () => {
    const call = accepted(parse(get('/postback?clickid=a&currency=EURO')));
    assert.equal(call.currency, null);
    assert.deepEqual(call.notes, ["currency 'EURO' is not a three-letter currency code, treated as absent"]);
  });

  it('reads names copied with an HTML-escaped & (amp;payout)', () => {
    const call = accepted(parse(get('/postback?clickid=a&amp;payout=3')));
    assert.equal(call.amount, '3');
    assert.deepEqual(call.notes, ["parameter 'amp;payout' read as 'payout' (an HTML-escaped '&')"]);
  });

  it('keeps the Everflow ¤cy artifact as an extra, not a currency', () => {
    const call = accepted(parse(get('/postback?clickid=a&%C2%A4cy=GBP')));
    assert.equal(call.currency, null);
    assert.deepEqual(call.extra, { '¤cy': 'GBP' });
  });
});
