import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainException } from '../../common/domain.exception';
import type { SubscriptionDto } from './subscription.dto';
import { checkSubscription, SubscriptionRuleContext } from './subscription.rules';

const SECRET = 'whsec_' + Buffer.alloc(32, 7).toString('base64');

const ctx: SubscriptionRuleContext = {
  rates: { base: 'USD', rates: { EUR: '0.92' } },
  conversionTypes: [{ id: '1', code: 'cps', aliases: ['sale', 'sales'] }],
  addressProblem: async (url) =>
    url.includes('10.0.0.1')
      ? 'the address 10.0.0.1 is not allowed'
      : url.includes('typo.example')
        ? { code: 'UNRESOLVABLE_HOST', message: 'typo.example does not resolve (ENOTFOUND): check the host name' }
        : null,
};

const get = (receiverUrl: string) => ({ httpMethod: 'GET' as const, receiverUrl });

async function refused(dto: Partial<SubscriptionDto>): Promise<DomainException> {
  try {
    await checkSubscription({ receivers: [get('https://rx.example/p')], ...dto } as SubscriptionDto, ctx);
  } catch (e) {
    assert.ok(e instanceof DomainException, String(e));
    return e;
  }
  assert.fail('the subscription was accepted');
}

describe('checkSubscription', () => {
  it('accepts a full subscription and normalises it', async () => {
    const s = await checkSubscription(
      {
        subscriptionName: 'all',
        filter: { conversionTypes: ['SALE', 'cps'], statuses: ['approved'] },
        receivers: [
          get('https://rx.example/p?o=${transactionId}&t=${tier}'),
          { httpMethod: 'POST', receiverUrl: 'https://rx.example/j', receiverBody: '{"o": "${transactionId}", "v": ${payout}}', receiverFormat: 'json' },
          { httpMethod: 'POST', receiverUrl: 'https://rx.example/x', receiverBody: '<c><o>${transactionId}</o></c>', receiverFormat: 'xml' },
        ],
        currencyConversion: { to: 'EUR' },
        customAttribute: { attributes: ['status'], userAttribute: 'tier', rules: [{ inputs: ['approved'], output: 'gold' }] },
        secret: SECRET,
      } as SubscriptionDto,
      ctx,
    );
    assert.deepEqual(s.filter.conversionTypes, ['cps', 'cps'], 'an alias is kept as its code');
    assert.deepEqual(s.filter.campaignIds, []);
    assert.equal(s.receivers[0].receiverBody, null);
    assert.equal(s.receivers[0].receiverFormat, null);
    assert.deepEqual(s.currencyConversion, { to: 'EUR' });
    assert.equal(s.secret, SECRET);
  });

  it('names an unknown attribute (UNKNOWN_ATTRIBUTE)', async () => {
    const e = await refused({ receivers: [get('https://rx.example/x?a=${noSuchAttribute}')] });
    assert.equal(e.code, 'UNKNOWN_ATTRIBUTE');
    assert.match(e.message, /noSuchAttribute/);
    assert.ok(e.fields?.['receivers.0.receiverUrl']);
    const body = await refused({
      receivers: [{ httpMethod: 'POST', receiverUrl: 'https://rx.example/', receiverBody: '{"a": "${oops}"}', receiverFormat: 'json' }],
    });
    assert.equal(body.code, 'UNKNOWN_ATTRIBUTE');
    assert.match(body.message, /oops/);
    const attr = await refused({ customAttribute: { attributes: ['nope'], userAttribute: 'tier', rules: [] } });
    assert.equal(attr.code, 'UNKNOWN_ATTRIBUTE');
    assert.match(attr.message, /nope/);
  });

  it('refuses a body or a format on a GET, and a POST without a format', async () => {
    const e = await refused({
      receivers: [
        { httpMethod: 'GET', receiverUrl: 'https://rx.example/', receiverBody: 'x', receiverFormat: 'json' },
        { httpMethod: 'POST', receiverUrl: 'https://rx.example/', receiverBody: 'x' },
      ],
    });
    assert.equal(e.code, 'VALIDATION_FAILED');
    assert.deepEqual(Object.keys(e.fields!).sort(), ['receivers.0.receiverBody', 'receivers.0.receiverFormat', 'receivers.1.receiverFormat']);
  });

  it('refuses URLs that are not literal http(s)', async () => {
    for (const url of ['ftp://rx.example/', 'https://${clickId}.example/', 'https://user:pw@rx.example/', 'rx.example/x', 'javascript:alert(1)']) {
      const e = await refused({ receivers: [get(url)] });
      assert.equal(e.code, 'VALIDATION_FAILED', url);
      assert.ok(e.fields?.['receivers.0.receiverUrl'], url);
    }
  });

  it('refuses a blocked address (BLOCKED_ADDRESS)', async () => {
    const e = await refused({ receivers: [get('https://rx.example/'), get('http://10.0.0.1/pb')] });
    assert.equal(e.code, 'BLOCKED_ADDRESS');
    assert.deepEqual(Object.keys(e.fields!), ['receivers.1.receiverUrl']);
  });

  it('refuses a host DNS says does not exist (UNRESOLVABLE_HOST), naming the receiver', async () => {
    const e = await refused({ receivers: [get('https://rx.example/'), get('https://typo.example/pb')] });
    assert.equal(e.code, 'UNRESOLVABLE_HOST');
    assert.deepEqual(e.fields, { 'receivers.1.receiverUrl': ['typo.example does not resolve (ENOTFOUND): check the host name'] });
  });

  it('refuses a body that cannot parse in its format (INVALID_TEMPLATE)', async () => {
    const json = await refused({
      receivers: [{ httpMethod: 'POST', receiverUrl: 'https://rx.example/', receiverBody: '{"a": "${payout}"', receiverFormat: 'json' }],
    });
    assert.equal(json.code, 'INVALID_TEMPLATE');
    const xml = await refused({
      receivers: [{ httpMethod: 'POST', receiverUrl: 'https://rx.example/', receiverBody: '<a><b>${payout}</a>', receiverFormat: 'xml' }],
    });
    assert.equal(xml.code, 'INVALID_TEMPLATE');
  });

  it('refuses an unsupported currency, a bad secret, an unknown conversion type, a rule of the wrong size', async () => {
    const e = await refused({
      currencyConversion: { to: 'CHF' },
      secret: 'whsec_' + Buffer.alloc(16).toString('base64'),
      filter: { conversionTypes: ['nope'] },
      customAttribute: { attributes: ['status', 'currency'], userAttribute: 'payout', rules: [{ inputs: ['approved'], output: 'x' }] },
    });
    assert.equal(e.code, 'VALIDATION_FAILED');
    assert.deepEqual(Object.keys(e.fields!).sort(), [
      'currencyConversion.to',
      'customAttribute.rules.0.inputs',
      'customAttribute.userAttribute',
      'filter.conversionTypes.0',
      'secret',
    ]);
    assert.match(e.fields!['currencyConversion.to'][0], /CHF/);
  });

  it('accepts the base currency and no secret', async () => {
    const s = await checkSubscription({ receivers: [get('https://rx.example/')], currencyConversion: { to: 'USD' }, secret: null } as SubscriptionDto, ctx);
    assert.equal(s.secret, null);
    assert.deepEqual(s.currencyConversion, { to: 'USD' });
  });

  describe("Tradedoubler's names (issue 13)", () => {
    it('maps template attributes, tdAttributes and programIds / eventIds onto the tracker’s names', async () => {
      const s = await checkSubscription(
        {
          filter: { programIds: [4711, '4712'], eventIds: ['sale'], offerIds: ['o-1'] },
          receivers: [
            get('https://rx.example/n?o=${orderNumber}&c=${publisherCommission}&cur=${currencyId}&p=${programId}&e=${eventId}&epi=${epi}'),
            { httpMethod: 'POST', receiverUrl: 'https://rx.example/j', receiverBody: '{"tx": "${orderNumber}", "t": "${tier}"}', receiverFormat: 'json' },
          ],
          customAttribute: { tdAttributes: ['programId', 'status'], userAttribute: 'tier', rules: [{ inputs: ['4711', 'approved'], output: 'gold' }] },
        } as unknown as SubscriptionDto,
        ctx,
      );
      assert.equal(
        s.receivers[0].receiverUrl,
        'https://rx.example/n?o=${transactionId}&c=${payout}&cur=${currency}&p=${offerId}&e=${conversionType}&epi=${clickId}',
      );
      assert.equal(s.receivers[1].receiverBody, '{"tx": "${transactionId}", "t": "${tier}"}');
      assert.deepEqual(s.customAttribute?.attributes, ['offerId', 'status']);
      assert.deepEqual(s.filter.offerIds, ['o-1', '4711', '4712']);
      assert.deepEqual(s.filter.conversionTypes, ['cps'], 'an event id or alias resolves to a conversion type');
      assert.equal(Object.hasOwn(s.filter, 'programIds'), false);
    });

    it('refuses the filters it cannot honour with UNSUPPORTED_FILTER, naming each', async () => {
      const e = await refused({ filter: { programIds: [1], messageTypeIds: [1, 3], siteIds: [9] } } as unknown as SubscriptionDto);
      assert.equal(e.code, 'UNSUPPORTED_FILTER');
      assert.deepEqual(Object.keys(e.fields!).sort(), ['filter.messageTypeIds', 'filter.siteIds']);
      assert.match(e.fields!['filter.messageTypeIds'][0], /cannot be honoured/);
    });

    it('names a Tradedoubler attribute with no equivalent (UNKNOWN_ATTRIBUTE)', async () => {
      const e = await refused({ receivers: [get('https://rx.example/?v=${orderValue}')] });
      assert.equal(e.code, 'UNKNOWN_ATTRIBUTE');
      assert.match(e.fields!['receivers.0.receiverUrl'][0], /Tradedoubler's 'orderValue' has no equivalent here/);
    });
  });
});
