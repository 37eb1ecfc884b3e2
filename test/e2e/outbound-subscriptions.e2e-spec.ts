import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newSecret } from '../support/outbound.fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { fieldsOf } from '../support/error-fields';

describe('subscriptions API', () => {
  let t: TestApp;
  let strict: TestApp;
  const post = (body: unknown, app = t) =>
    app
      .http()
      .post('/api/v1/subscriptions')
      .set(app.auth)
      .send(body as object);
  const get = (url: string) => ({ httpMethod: 'GET', receiverUrl: url });

  before(async () => {
    [t, strict] = await Promise.all([startTestApp({ OUTBOX_ENABLED: 'false' }), startTestApp({ OUTBOX_ENABLED: 'false', OUTBOUND_ALLOW_PRIVATE: 'false' })]);
  });
  after(() => Promise.all([t?.close(), strict?.close()]));

  it('creates (201 with id and subscriptionId), gets, lists, replaces whole and deletes', async () => {
    const body = {
      subscriptionName: 'Tradedoubler style',
      filter: { campaignIds: ['c1'], statuses: ['approved'] },
      receivers: [
        get('https://rx.example/sub?orderNum=${transactionId}&orderVal=${payout}'),
        { httpMethod: 'post', receiverUrl: 'https://rx.example/p', receiverBody: '{"o": "${transactionId}"}', receiverFormat: 'JSON' },
      ],
      currencyConversion: { to: 'usd' },
      customAttribute: { attributes: ['status'], userAttribute: 'tier', rules: [{ inputs: ['approved'], output: 'gold' }] },
      secret: newSecret(),
    };
    const created = await post(body);
    assert.equal(created.status, 201, created.text);
    const s = created.body;
    assert.ok(s.id);
    assert.equal(s.subscriptionId, s.id);
    assert.equal(s.subscriptionName, 'Tradedoubler style');
    assert.deepEqual(s.filter, {
      campaignIds: ['c1'],
      offerIds: [],
      affiliateNetworkIds: [],
      trafficSourceIds: [],
      conversionTypes: [],
      statuses: ['approved'],
    });
    assert.deepEqual(s.receivers[1], {
      httpMethod: 'POST',
      receiverUrl: 'https://rx.example/p',
      receiverBody: '{"o": "${transactionId}"}',
      receiverFormat: 'json',
      enabled: true,
      disabledAt: null,
      disabledReason: null,
    });
    assert.deepEqual(s.currencyConversion, { to: 'USD' });
    assert.equal(s.hasSecret, true);
    assert.equal(s.secret, undefined, 'the secret is write-only');

    const one = await t.http().get(`/api/v1/subscriptions/${s.id}`).set(t.auth);
    assert.equal(one.status, 200);
    assert.deepEqual(one.body, s);

    const second = await post({ receivers: [get('https://rx.example/2')] });
    assert.equal(second.status, 201, second.text);
    const page = await t.http().get('/api/v1/subscriptions?limit=1').set(t.auth);
    assert.deepEqual(
      page.body.items.map((x: { id: string }) => x.id),
      [second.body.id],
      'newest first',
    );
    const next = await t.http().get(`/api/v1/subscriptions?limit=1&cursor=${page.body.nextCursor}`).set(t.auth);
    assert.deepEqual(
      next.body.items.map((x: { id: string }) => x.id),
      [s.id],
    );

    const replaced = await t
      .http()
      .put(`/api/v1/subscriptions/${s.id}`)
      .set(t.auth)
      .send({ receivers: [get('https://rx.example/only')] });
    assert.equal(replaced.status, 200, replaced.text);
    assert.equal(replaced.body.subscriptionName, null);
    assert.deepEqual(replaced.body.filter.campaignIds, []);
    assert.equal(replaced.body.currencyConversion, null);
    assert.equal(replaced.body.customAttribute, null);
    assert.equal(replaced.body.hasSecret, false);
    assert.equal(replaced.body.receivers.length, 1);

    assert.equal((await t.http().delete(`/api/v1/subscriptions/${s.id}`).set(t.auth)).status, 204);
    assert.equal((await t.http().get(`/api/v1/subscriptions/${s.id}`).set(t.auth)).status, 404, 'no messages: deleted');
    assert.equal(
      (
        await t
          .http()
          .put('/api/v1/subscriptions/nope')
          .set(t.auth)
          .send({ receivers: [get('https://rx.example/')] })
      ).status,
      404,
    );
    assert.equal((await t.http().get('/api/v1/subscriptions')).status, 401);
  });

  it('names each problem', async () => {
    const cases: Array<[string, object, string, string, RegExp?]> = [
      ['no receivers', { subscriptionName: 'x' }, 'VALIDATION_FAILED', 'receivers'],
      ['empty receivers', { receivers: [] }, 'VALIDATION_FAILED', 'receivers'],
      ['no method', { receivers: [{ receiverUrl: 'https://rx.example/' }] }, 'VALIDATION_FAILED', 'receivers.0.httpMethod'],
      [
        'unknown attribute',
        { receivers: [get('https://rx.example/x?a=${noSuchAttribute}')] },
        'UNKNOWN_ATTRIBUTE',
        'receivers.0.receiverUrl',
        /noSuchAttribute/,
      ],
      ['body on a GET', { receivers: [{ ...get('https://rx.example/'), receiverBody: '{}' }] }, 'VALIDATION_FAILED', 'receivers.0.receiverBody'],
      ['format on a GET', { receivers: [{ ...get('https://rx.example/'), receiverFormat: 'json' }] }, 'VALIDATION_FAILED', 'receivers.0.receiverFormat'],
      [
        'POST without a format',
        { receivers: [{ httpMethod: 'POST', receiverUrl: 'https://rx.example/', receiverBody: 'a' }] },
        'VALIDATION_FAILED',
        'receivers.0.receiverFormat',
      ],
      [
        'unknown format',
        { receivers: [{ httpMethod: 'POST', receiverUrl: 'https://rx.example/', receiverFormat: 'yaml' }] },
        'VALIDATION_FAILED',
        'receivers.0.receiverFormat',
      ],
      [
        'bad JSON body',
        { receivers: [{ httpMethod: 'POST', receiverUrl: 'https://rx.example/', receiverFormat: 'json', receiverBody: '{"a": ' }] },
        'INVALID_TEMPLATE',
        'receivers.0.receiverBody',
      ],
      [
        'unsupported currency',
        { receivers: [get('https://rx.example/')], currencyConversion: { to: 'XAU' } },
        'VALIDATION_FAILED',
        'currencyConversion.to',
        /XAU/,
      ],
      ['non-http URL', { receivers: [get('ftp://rx.example/')] }, 'VALIDATION_FAILED', 'receivers.0.receiverUrl'],
      ['host not literal', { receivers: [get('https://${clickId}.rx.example/')] }, 'VALIDATION_FAILED', 'receivers.0.receiverUrl'],
      ['user info', { receivers: [get('https://u:p@rx.example/')] }, 'VALIDATION_FAILED', 'receivers.0.receiverUrl'],
      ['bad secret', { receivers: [get('https://rx.example/')], secret: 'whsec_c2hvcnQ=' }, 'VALIDATION_FAILED', 'secret'],
      ['secret without prefix', { receivers: [get('https://rx.example/')], secret: Buffer.alloc(32, 1).toString('base64') }, 'VALIDATION_FAILED', 'secret'],
      ['bad status filter', { receivers: [get('https://rx.example/')], filter: { statuses: ['paid'] } }, 'VALIDATION_FAILED', 'filter.statuses'],
      [
        'unknown custom input',
        { receivers: [get('https://rx.example/')], customAttribute: { attributes: ['bogus'], userAttribute: 'tier', rules: [] } },
        'UNKNOWN_ATTRIBUTE',
        'customAttribute.attributes.0',
        /bogus/,
      ],
    ];
    for (const [what, body, code, field, text] of cases) {
      const r = await post(body);
      assert.equal(r.status, 400, `${what}: ${r.text}`);
      assert.equal(r.body.code, code, `${what}: ${r.text}`);
      assert.ok(fieldsOf(r.body)[field], `${what} names ${field}: ${r.text}`);
      if (text) assert.match(r.body.message, text, what);
    }
  });

  it('refuses private and loopback addresses at save time unless OUTBOUND_ALLOW_PRIVATE', async () => {
    for (const url of [
      'http://127.0.0.1:9/x',
      'http://10.1.2.3/x',
      'http://[::1]/x',
      'http://169.254.169.254/latest',
      'http://2130706433/',
      'http://[::ffff:192.168.0.1]/',
    ]) {
      const r = await post({ receivers: [get(url)] }, strict);
      assert.equal(r.status, 400, url);
      assert.equal(r.body.code, 'BLOCKED_ADDRESS', `${url}: ${r.text}`);
      assert.ok(fieldsOf(r.body)['receivers.0.receiverUrl'], url);
    }
    assert.equal((await post({ receivers: [get('https://93.184.215.14/x')] }, strict)).status, 201);
    assert.equal((await post({ receivers: [get('http://127.0.0.1:9/x')] })).status, 201, 'allowed with OUTBOUND_ALLOW_PRIVATE=true');
  });

  it("accepts Tradedoubler's names where they map, and refuses the filters it cannot honour", async () => {
    const ok = await post({
      filter: { programIds: ['p-9'] },
      receivers: [get('https://rx.example/td?o=${orderNumber}&c=${publisherCommission}')],
      customAttribute: { tdAttributes: ['programId'], userAttribute: 'grp', rules: [{ inputs: ['p-9'], output: 'A' }] },
    });
    assert.equal(ok.status, 201, ok.text);
    assert.equal(ok.body.receivers[0].receiverUrl, 'https://rx.example/td?o=${transactionId}&c=${payout}');
    assert.deepEqual(ok.body.filter.offerIds, ['p-9']);
    assert.deepEqual(ok.body.customAttribute.attributes, ['offerId']);
    const refused = await post({ filter: { messageTypeIds: [1, 3, 4] }, receivers: [get('https://rx.example/td')] });
    assert.equal(refused.status, 400, refused.text);
    assert.equal(refused.body.code, 'UNSUPPORTED_FILTER');
    assert.match(refused.body.message, /messageTypeIds/);
  });
});
