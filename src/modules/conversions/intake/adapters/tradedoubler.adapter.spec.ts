import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accepted, get, normalized, post, refused } from './adapter.fixtures';
import type { NetworkSettings } from './adapter.types';
import { TradedoublerAdapter } from './tradedoubler.adapter';

const adapter = new TradedoublerAdapter();
const CLICK = '016aee815478a1b2c3d4e5f6';
const PATH = '/receivers/tradedoubler/n1';

describe('TradedoublerAdapter', () => {
  it('reads a GET message: orderValue is the amount and the sale amount when no commission is sent', () => {
    const url = `${PATH}?transactionId=TX-1&orderNumber=O-1&orderValue=59.90&currencyId=EUR&messageTypeId=1&sequenceNumber=1&epi=${CLICK}&eventId=77&programId=1234`;
    assert.deepEqual(
      accepted(adapter.parse(get(url), null)),
      normalized({
        clickId: CLICK,
        transactionId: 'TX-1',
        amount: '59.9',
        saleAmount: '59.9',
        currency: 'EUR',
        status: 'pending',
        sequenceNumber: 1,
        extra: { orderNumber: 'O-1', eventId: '77', programId: '1234' },
      }),
    );
  });

  it('reads a JSON message with numbers and digit strings', () => {
    const body = { transactionId: 'TX-1', orderValue: '59.90', currencyId: 'EUR', messageTypeId: 6, sequenceNumber: '3', epi: CLICK, eventTypeId: 5 };
    assert.deepEqual(
      accepted(adapter.parse(post(PATH, body), null)),
      normalized({
        clickId: CLICK,
        transactionId: 'TX-1',
        amount: '59.9',
        saleAmount: '59.9',
        currency: 'EUR',
        status: 'approved',
        sequenceNumber: 3,
        conversionType: 'cps',
      }),
    );
  });

  it('reads XML with a declaration and any root element', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?><conversion><transactionId>TX-1</transactionId><orderValue>45.00</orderValue><currencyId>EUR</currencyId><messageTypeId>5</messageTypeId><sequenceNumber>2</sequenceNumber><epi>${CLICK}</epi></conversion>`;
    const expected = normalized({
      clickId: CLICK,
      transactionId: 'TX-1',
      amount: '45',
      saleAmount: '45',
      currency: 'EUR',
      status: 'approved',
      sequenceNumber: 2,
    });
    assert.deepEqual(accepted(adapter.parse(post(PATH, xml, 'application/xml'), null)), expected);
    const other = xml.replace(/^<\?xml[^>]*\?>/, '\n  ').replace(/conversion>/g, 'TradeDoublerMessage>');
    assert.deepEqual(accepted(adapter.parse(post(PATH, other, 'text/xml'), null)), expected);
  });

  it('keeps the commission as the amount and the order value as the sale amount', () => {
    const xml = `<message><epi>${CLICK}</epi><publisherCommission>4.49</publisherCommission><orderValue>89.80</orderValue><eventTypeId>10</eventTypeId></message>`;
    const call = accepted(adapter.parse(post(PATH, xml, 'application/xml'), null));
    assert.equal(call.amount, '4.49');
    assert.equal(call.saleAmount, '89.8');
    assert.equal(call.conversionType, 'cps');
  });

  it('reads the custom key=value format', () => {
    const custom = `transactionId=TX2, orderValue=10.00, currencyId=EUR, messageTypeId=5, sequenceNumber=1, epi=${CLICK}`;
    assert.deepEqual(
      accepted(adapter.parse(post(PATH, custom, 'text/plain'), null)),
      normalized({
        clickId: CLICK,
        transactionId: 'TX2',
        amount: '10',
        saleAmount: '10',
        currency: 'EUR',
        status: 'approved',
        sequenceNumber: 1,
      }),
    );
  });

  it('refuses a comma decimal in the custom format', () => {
    const { partial } = refused(adapter.parse(post(PATH, `transactionId=TX3, orderValue=12,50, epi=${CLICK}`, 'text/plain'), null), 'INVALID_AMOUNT');
    assert.equal(partial.transactionId, 'TX3');
  });

  it('treats a lead with an unreplaced ${orderValue} as having no sale amount', () => {
    const url = `${PATH}?epi=${CLICK}&transactionId=L-1&eventTypeId=4&publisherCommission=2.00&orderValue=%24%7BorderValue%7D&messageTypeId=4`;
    assert.deepEqual(
      accepted(adapter.parse(get(url), null)),
      normalized({
        clickId: CLICK,
        transactionId: 'L-1',
        amount: '2',
        status: 'pending',
        conversionType: 'cpl',
        notes: ["orderValue '${orderValue}' is an unreplaced macro, treated as absent"],
      }),
    );
  });

  it('maps every messageTypeId of the SPEC, and notes the others', () => {
    const status = (id: string) => adapter.parse(get(`${PATH}?epi=c&messageTypeId=${id}`), null);
    const expected = { 1: 'pending', 3: 'pending', 4: 'pending', 5: 'approved', 6: 'approved', 2: 'declined', 7: 'declined', 8: 'declined' };
    for (const [id, s] of Object.entries(expected)) assert.equal(accepted(status(id)).status, s, `messageTypeId ${id}`);
    const other = accepted(status('99'));
    assert.equal(other.status, null);
    assert.deepEqual(other.notes, ["messageTypeId '99' leaves the status unchanged"]);
  });

  it("lets the network's statusMap override numeric codes", () => {
    const network: NetworkSettings = { kind: 'tradedoubler', params: {}, statusMap: { '3': 'declined', '9': 'approved' } };
    assert.equal(accepted(adapter.parse(get(`${PATH}?epi=c&messageTypeId=3`), network)).status, 'declined');
    assert.equal(accepted(adapter.parse(get(`${PATH}?epi=c&messageTypeId=9`), network)).status, 'approved');
    assert.equal(accepted(adapter.parse(get(`${PATH}?epi=c&messageTypeId=1`), network)).status, 'pending');
  });

  it('falls back to an A / P / D status without messageTypeId', () => {
    assert.equal(accepted(adapter.parse(get(`${PATH}?epi=c&status=A`), null)).status, 'approved');
    assert.equal(accepted(adapter.parse(get(`${PATH}?epi=c&status=D`), null)).status, 'declined');
  });

  it('reads epi2 when epi is absent, never anything else', () => {
    assert.equal(accepted(adapter.parse(get(`${PATH}?epi=&epi2=${CLICK}`), null)).clickId, CLICK);
    refused(adapter.parse(get(`${PATH}?clickid=${CLICK}&orderValue=1`), null), 'MISSING_CLICK_ID');
    refused(adapter.parse(get(`${PATH}?epi=%24%7Bepi%7D`), null), 'MISSING_CLICK_ID');
  });

  it('notes a sequenceNumber that is not a whole number, and an unknown eventTypeId', () => {
    const call = accepted(adapter.parse(get(`${PATH}?epi=c&sequenceNumber=2.5&eventTypeId=7`), null));
    assert.equal(call.sequenceNumber, null);
    assert.equal(call.conversionType, null);
    assert.deepEqual(call.notes, [
      "sequenceNumber '2.5' is not a whole number, ignored",
      "eventTypeId '7' is neither a lead (4, 9) nor a sale (5, 10), the default type applies",
    ]);
  });

  it('refuses bodies that cannot be parsed', () => {
    for (const body of [`<conversion><epi>${CLICK}</conversion>`, '{"epi": "x",', 'just some text']) {
      refused(adapter.parse(post(PATH, body, 'text/plain'), null), 'UNPARSABLE_BODY');
    }
  });
});
