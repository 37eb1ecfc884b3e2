import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { TradetrackerAdapter } from '../conversions/intake/adapters/tradetracker.adapter';
import { accepted, get } from '../conversions/intake/adapters/adapter.fixtures';
import type { ConversionSnapshot } from './conversion.snapshot';
import { renderTradeTracker, tradeTrackerReceiverProblem } from './tradetracker.sender';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const REFERENCE = '0::12345::reference::::1405418672';

/** The conversion behind TradeTracker's own S2S example (ORD-1001, 129.99 EUR, 3 items, jane.doe@example.com). */
const conversion: ConversionSnapshot = {
  id: '016aee8154780a2901000001',
  createdAt: new Date('2019-05-25T10:20:14.328Z'),
  visitId: '0167a15c98772c0004000001',
  clickId: '0167a15c98772c0004000001',
  visitCreatedAt: new Date('2019-05-25T09:00:00.000Z'),
  externalId: REFERENCE,
  campaignId: 'camp-1',
  offerId: 'offer-1',
  affiliateNetworkId: 'net-1',
  trafficSourceId: 'ts-1',
  conversionTypeId: '1',
  conversionTypeCode: 'cps',
  transactionId: 'ORD-1001',
  status: 'approved',
  payout: '12.00',
  currency: 'EUR',
  country: 'NL',
  tsPostbackSent: false,
  tsPostbackUrl: null,
  tsPostbackStatuses: ['approved'],
  saleAmount: '129.990',
  extra: { qty: '3', emlSha256: sha256('jane.doe@example.com') },
};

describe('TradeTracker sender (issue 13)', () => {
  it('sends the document’s example request: campaign, product, transaction, amount, currency, quantity, description, reference, e-mail hash', () => {
    const r = renderTradeTracker('https://ts.tradetracker.net/?cid=12345&pid=1', conversion, { payout: '12', currency: 'EUR' });
    assert.equal(r.method, 'GET');
    assert.equal(r.body, null);
    assert.equal(
      r.url,
      `https://ts.tradetracker.net/?cid=12345&pid=1&tid=ORD-1001&tam=129.99&currency=EUR&qty=3&descrMerchant=ORD-1001&event=sales&data=${REFERENCE}&eml=${sha256('jane.doe@example.com')}`,
    );
  });

  it('is read back by the tracker’s own TradeTracker receiver as the same sale', () => {
    const r = renderTradeTracker('https://ts.tradetracker.net/?cid=12345&pid=1', conversion, { payout: '12', currency: 'EUR' });
    const call = accepted(new TradetrackerAdapter().parse(get(`/receivers/tradetracker/n1${new URL(r.url).search}`), null));
    assert.equal(call.clickId, REFERENCE);
    assert.equal(call.transactionId, 'ORD-1001:1');
    assert.equal(call.amount, '129.99');
    assert.equal(call.currency, 'EUR');
    assert.equal(call.conversionType, 'cps');
    assert.equal(call.extra.emlSha256, sha256('jane.doe@example.com'));
  });

  it('sends the payout without a sale amount, quantity 1, no eml without a hash, and no amount for a lead', () => {
    const plain = { ...conversion, saleAmount: null, extra: {} };
    const sale = new URL(renderTradeTracker('https://ts.tradetracker.net/?cid=1&pid=2', plain, { payout: '12', currency: 'EUR' }).url);
    assert.equal(sale.searchParams.get('tam'), '12');
    assert.equal(sale.searchParams.get('qty'), '1');
    assert.equal(sale.searchParams.has('eml'), false);
    const lead = new URL(renderTradeTracker('https://tl.tradetracker.net/?cid=1&pid=2&event=lead', plain, { payout: '12', currency: 'EUR' }).url);
    assert.equal(lead.searchParams.get('event'), 'lead');
    assert.equal(lead.searchParams.has('tam'), false);
    assert.equal(lead.searchParams.has('currency'), false);
  });

  it('refuses a receiverUrl without campaign and product, or with attributes', () => {
    assert.match(tradeTrackerReceiverProblem('https://ts.tradetracker.net/?cid=1') ?? '', /pid=/);
    assert.match(tradeTrackerReceiverProblem('https://ts.tradetracker.net/') ?? '', /cid= and pid=/);
    assert.match(tradeTrackerReceiverProblem('https://ts.tradetracker.net/?cid=1&pid=2&x=${payout}') ?? '', /no \$\{attribute\}/);
    assert.equal(tradeTrackerReceiverProblem('https://ts.tradetracker.net/?cid=1&pid=2'), null);
  });
});
