import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accepted, get, normalized, post, refused } from './adapter.fixtures';
import { TrackdeskAdapter } from './trackdesk.adapter';

const adapter = new TrackdeskAdapter();
const CLICK = '016aee815478a1b2c3d4e5f6';

describe('TrackdeskAdapter', () => {
  it('reads a GET with dotted names', () => {
    const url = `/tracking/conversion/v1?conversionTypeCode=sale&cid=${CLICK}&amount.value=100.50&currency.code=EUR&externalId=ORD-1&customerId=C9&customParams.advS1=alpha&customParams.advS5=omega&status=CONVERSION_STATUS_PENDING`;
    assert.deepEqual(
      accepted(adapter.parse(get(url), null)),
      normalized({
        clickId: CLICK,
        transactionId: 'ORD-1',
        amount: '100.5',
        currency: 'EUR',
        status: 'pending',
        conversionType: 'sale',
        extra: { customerId: 'C9', advS1: 'alpha', advS5: 'omega' },
        transactionAcrossTypes: true,
      }),
    );
  });

  it('reads the nested JSON of a POST the same way', () => {
    const body = {
      cid: CLICK,
      conversionTypeCode: 'lead',
      amount: { value: '3.00' },
      currency: { code: 'USD' },
      externalId: 'E-7',
      customerId: 'cust-1',
      customParams: { advS1: 'a1', advS2: 'a2' },
      couponCodes: ['SPRING', 'VIP'],
      revenueOriginId: 'r-9',
      status: 'CONVERSION_STATUS_APPROVED',
    };
    assert.deepEqual(
      accepted(adapter.parse(post('/tracking/conversion/v1', body), null)),
      normalized({
        clickId: CLICK,
        transactionId: 'E-7',
        amount: '3',
        currency: 'USD',
        status: 'approved',
        conversionType: 'lead',
        extra: { customerId: 'cust-1', advS1: 'a1', advS2: 'a2', couponCodes: 'SPRING,VIP', revenueOriginId: 'r-9' },
        transactionAcrossTypes: true,
      }),
    );
  });

  it('accepts amount.value as a JSON number', () => {
    const call = accepted(adapter.parse(post('/tracking/conversion/v1', '{"cid":"c","amount":{"value":4.80}}'), null));
    assert.equal(call.amount, '4.8');
  });

  it('maps the CONVERSION_STATUS_* enum', () => {
    const status = (s: string) => adapter.parse(get(`/tracking/conversion/v1?cid=c&status=${s}`), null);
    assert.equal(accepted(status('CONVERSION_STATUS_REFUNDED')).status, 'declined');
    assert.equal(accepted(status('CONVERSION_STATUS_FRAUD')).status, 'declined');
    assert.equal(accepted(status('CONVERSION_STATUS_ON_HOLD')).status, 'pending');
    refused(status('CONVERSION_STATUS_TEST'), 'TEST_CONVERSION');
    const notAllowed = accepted(status('CONVERSION_STATUS_NOT_ALLOWED'));
    assert.equal(notAllowed.status, null);
    assert.deepEqual(notAllowed.notes, ["unknown status word 'CONVERSION_STATUS_NOT_ALLOWED' in status, treated as absent"]);
  });

  it('never reads a click id from generic names', () => {
    refused(adapter.parse(get('/tracking/conversion/v1?clickid=abc&amount.value=1'), null), 'MISSING_CLICK_ID');
  });

  it('refuses a comma amount and a body that does not parse', () => {
    refused(adapter.parse(get('/tracking/conversion/v1?cid=c&amount.value=100,50'), null), 'INVALID_AMOUNT');
    refused(adapter.parse(post('/tracking/conversion/v1', '{"cid": "c",'), null), 'UNPARSABLE_BODY');
  });
});
