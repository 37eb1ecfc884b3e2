import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser } from 'fast-xml-parser';
import type { ConversionSnapshot } from './conversion.snapshot';
import { defaultBodyTemplate, renderReceiver, renderTrafficSourcePostback, subscriptionValues, trafficSourcePostbackDue } from './message.builder';
import type { SubscriptionRecord } from './subscription.types';
import { EMPTY_FILTER } from './subscription.types';

const HOSTILE = 'a&payout=999#x\r\nX-Injected: 1"}, "evil": "<y/>${payout}';

const conversion: ConversionSnapshot = {
  id: '016aee8154780a2901000001',
  createdAt: new Date('2019-05-25T10:20:14.328Z'),
  visitId: '0167a15c98772c0004000001',
  clickId: '0167a15c98772c0004000001',
  visitCreatedAt: new Date('2018-12-12T07:40:59.383Z'),
  externalId: HOSTILE,
  campaignId: 'camp-1',
  offerId: 'offer-1',
  affiliateNetworkId: 'net-1',
  trafficSourceId: 'ts-1',
  conversionTypeId: '1',
  conversionTypeCode: 'cps',
  transactionId: HOSTILE,
  status: 'approved',
  payout: '92.40',
  currency: 'EUR',
  country: 'US',
  tsPostbackSent: false,
  tsPostbackUrl:
    'https://ts.example/pb?clickid={external_id}&payout={payout}&cur={currency}&st={status}&t={conversion_type}&tx={txid}&cv={conversion_id}&c={click_id}&keep={unknown}',
  tsPostbackStatuses: ['approved'],
};

const sub = (over: Partial<SubscriptionRecord> = {}): SubscriptionRecord => ({
  id: 'sub-1',
  filter: EMPTY_FILTER,
  receivers: [],
  currencyConversion: null,
  customAttribute: null,
  secret: null,
  ...over,
});

const message = { messageId: 'msg-1', sequenceNumber: 3 };

describe('subscription messages', () => {
  it('fills every attribute (SPEC §7)', () => {
    const { values } = subscriptionValues(conversion, sub(), null, message);
    assert.deepEqual(values, {
      messageId: 'msg-1',
      sequenceNumber: '3',
      conversionId: conversion.id,
      clickId: conversion.visitId,
      externalId: HOSTILE,
      transactionId: HOSTILE,
      campaignId: 'camp-1',
      offerId: 'offer-1',
      affiliateNetworkId: 'net-1',
      trafficSourceId: 'ts-1',
      payout: '92.4',
      currency: 'EUR',
      status: 'approved',
      conversionType: 'cps',
      timeOfEvent: '2019-05-25T10:20:14.328Z',
      timeOfVisit: '2018-12-12T07:40:59.383Z',
      country: 'US',
    });
  });

  it('converts the payout into the subscription currency and adds the custom attribute', () => {
    const s = sub({
      currencyConversion: { to: 'USD' },
      customAttribute: { attributes: ['currency', 'status'], userAttribute: 'tier', rules: [{ inputs: ['USD', 'approved'], output: 'gold' }] },
    });
    const { values, extra } = subscriptionValues(conversion, s, { base: 'USD', rates: { EUR: '0.92' } }, message);
    assert.equal(values.payout, '100.434783');
    assert.equal(values.currency, 'USD');
    assert.equal(values.tier, 'gold');
    assert.deepEqual(extra, ['tier']);
    const missing = subscriptionValues(conversion, sub({ currencyConversion: { to: 'GBP' } }), { base: 'USD', rates: { EUR: '0.92' } }, message);
    assert.equal(missing.values.payout, '92.4', 'no rate: the amount goes in its own currency');
    assert.equal(missing.values.currency, 'EUR');
  });

  it('a hostile value adds no parameter, fragment or line to a GET URL', () => {
    const { values } = subscriptionValues(conversion, sub(), null, message);
    const r = renderReceiver(
      { httpMethod: 'GET', receiverUrl: 'https://rx.example/p?order=${transactionId}&val=${payout}', receiverBody: null, receiverFormat: null },
      values,
      [],
    );
    assert.equal(r.method, 'GET');
    assert.equal(r.body, null);
    assert.doesNotMatch(r.url, /[\r\n#]/);
    const url = new URL(r.url);
    assert.equal(url.host, 'rx.example');
    assert.deepEqual([...url.searchParams.keys()], ['order', 'val']);
    assert.equal(url.searchParams.get('order'), HOSTILE);
    assert.equal(url.searchParams.get('val'), '92.4');
  });

  it('a hostile value stays inside its JSON string, XML element or custom pair', () => {
    const { values } = subscriptionValues(conversion, sub(), null, message);
    const post = (receiverFormat: 'json' | 'xml' | 'custom', receiverBody: string) =>
      renderReceiver({ httpMethod: 'POST', receiverUrl: 'https://rx.example/p', receiverBody, receiverFormat }, values, []);

    const json = post('json', '{"orderNum": "${transactionId}", "payout": ${payout}}');
    assert.equal(json.headers['content-type'], 'application/json; charset=utf-8');
    assert.deepEqual(JSON.parse(json.body!), { orderNum: HOSTILE, payout: 92.4 });

    const xml = post('xml', '<conversion><orderNum>${transactionId}</orderNum><status>${status}</status></conversion>');
    assert.equal(xml.headers['content-type'], 'application/xml; charset=utf-8');
    const parsed = new XMLParser({ parseTagValue: false, trimValues: false, htmlEntities: true }).parse(xml.body!);
    assert.deepEqual(Object.keys(parsed.conversion), ['orderNum', 'status']);
    assert.equal(parsed.conversion.orderNum, HOSTILE);

    const custom = post('custom', 'orderNum=${transactionId}, status=${status}');
    assert.equal(custom.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(custom.body!.split(', ').length, 2);
    assert.doesNotMatch(custom.body!, /[\r\n]/);
  });

  it('a POST without a body template sends every attribute in its format', () => {
    const { values } = subscriptionValues(conversion, sub(), null, message);
    const r = renderReceiver({ httpMethod: 'POST', receiverUrl: 'https://rx.example/p', receiverBody: null, receiverFormat: 'json' }, values, []);
    assert.deepEqual(JSON.parse(r.body!), values);
    assert.match(defaultBodyTemplate('xml', ['tier']), /<tier>\$\{tier\}<\/tier><\/conversion>$/);
  });
});

describe('traffic source postback', () => {
  it('fills the macros, percent-encoded, and leaves unknown ones as written', () => {
    const r = renderTrafficSourcePostback(conversion);
    const url = new URL(r.url);
    assert.equal(url.host, 'ts.example');
    assert.deepEqual([...url.searchParams.keys()], ['clickid', 'payout', 'cur', 'st', 't', 'tx', 'cv', 'c', 'keep']);
    assert.equal(url.searchParams.get('clickid'), HOSTILE);
    assert.equal(url.searchParams.get('payout'), '92.4');
    assert.equal(url.searchParams.get('cur'), 'EUR');
    assert.equal(url.searchParams.get('st'), 'approved');
    assert.equal(url.searchParams.get('t'), 'cps');
    assert.equal(url.searchParams.get('tx'), HOSTILE);
    assert.equal(url.searchParams.get('cv'), conversion.id);
    assert.equal(url.searchParams.get('c'), conversion.visitId);
    assert.equal(url.searchParams.get('keep'), '{unknown}');
  });

  it('is due once, on a listed status, with an external id and a URL', () => {
    assert.equal(trafficSourcePostbackDue(conversion), true);
    assert.equal(trafficSourcePostbackDue({ ...conversion, tsPostbackSent: true }), false);
    assert.equal(trafficSourcePostbackDue({ ...conversion, status: 'pending' }), false);
    assert.equal(trafficSourcePostbackDue({ ...conversion, status: 'pending', tsPostbackStatuses: ['pending', 'approved'] }), true);
    assert.equal(trafficSourcePostbackDue({ ...conversion, externalId: null }), false);
    assert.equal(trafficSourcePostbackDue({ ...conversion, externalId: '' }), false);
    assert.equal(trafficSourcePostbackDue({ ...conversion, tsPostbackUrl: null }), false);
  });
});
