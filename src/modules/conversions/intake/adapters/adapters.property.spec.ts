import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { AMOUNT_PATTERN } from '../../../../common/money';
import { ADAPTERS } from './adapter.registry';
import type { AdapterOutcome, NetworkSettings, RawCall } from './adapter.types';
import { isUnreplacedMacro } from './macro';

const NAMES = [
  'clickid',
  'cid',
  'h',
  'a',
  'c',
  'payout',
  'amount',
  'txid',
  'tid',
  'pid',
  'status',
  'currency',
  'type',
  'epi',
  'epi2',
  'orderValue',
  'publisherCommission',
  'messageTypeId',
  'sequenceNumber',
  'eventTypeId',
  'data',
  'tam',
  'event',
  'amount.value',
  'currency.code',
  'customParams.advS1',
  'eml',
  'token',
  'api_key',
  '__proto__',
  'constructor',
  'toString',
];
const name = fc.oneof(fc.constantFrom(...NAMES), fc.string({ maxLength: 12 }));
const value = fc.oneof(
  fc.string(),
  fc.constantFrom('{payout}', '12,50', '1E+21', '0', '-1', ' 7.5 ', 'test', 'approved', '1', '%', '%%%', '__proto__', 'constructor'),
  fc.double().map(String),
);
const query = fc.dictionary(name, fc.oneof(value, fc.array(value, { maxLength: 3 })), { maxKeys: 8 });
const jsonBody = fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v));
const objectBody = fc.dictionary(name, fc.oneof(value, fc.integer(), fc.double(), fc.jsonValue({ maxDepth: 2 }))).map((v) => JSON.stringify(v));
const xmlBody = fc
  .tuple(fc.stringMatching(/^[A-Za-z_][\w.-]{0,8}$/), fc.dictionary(fc.stringMatching(/^[A-Za-z_][\w-]{0,8}$/), value, { maxKeys: 5 }), fc.boolean())
  .map(
    ([root, children, decl]) =>
      `${decl ? '<?xml version="1.0"?>' : ''}<${root}>${Object.entries(children)
        .map(([k, v]) => `<${k}>${v}</${k}>`)
        .join('')}</${root}>`,
  );
const kvBody = fc
  .array(fc.tuple(name, value), { maxLength: 6 })
  .chain((pairs) => fc.constantFrom(', ', '&', '\n').map((sep) => pairs.map(([k, v]) => `${k}=${v}`).join(sep)));
const body = fc.option(fc.oneof(fc.string(), jsonBody, objectBody, xmlBody, kvBody), { nil: null });
const contentType = fc.option(
  fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/plain', 'application/xml', 'multipart/form-data', 'x'),
  { nil: null },
);
const network = fc.option(
  fc.record({
    kind: fc.constantFrom('generic', 'trackdesk', 'tradedoubler', 'tradetracker') as fc.Arbitrary<NetworkSettings['kind']>,
    params: fc.dictionary(fc.constantFrom('clickId', 'payout', 'transactionId', 'status', 'currency', 'type', 'sequenceNumber'), name),
    statusMap: fc.dictionary(fc.string({ maxLength: 5 }), fc.constantFrom('pending', 'approved', 'declined')),
  }) as fc.Arbitrary<NetworkSettings>,
  { nil: null },
);
const rawCall: fc.Arbitrary<RawCall> = fc.record({
  method: fc.constantFrom('GET', 'POST'),
  url: fc.string().map((s) => `/postback?${s}`),
  query,
  body,
  contentType,
  cookies: fc.dictionary(fc.constantFrom('tt_cid', 'x'), fc.string()),
});

function checkOutcome(outcome: AdapterOutcome): void {
  assert.equal(typeof outcome.ok, 'boolean');
  if (!outcome.ok) {
    assert.ok(
      [
        'INVALID_AMOUNT',
        'INVALID_FIELD_TYPE',
        'MISSING_AMOUNT',
        'MISSING_CURRENCY',
        'MISSING_CLICK_ID',
        'TEST_CONVERSION',
        'UNPARSABLE_BODY',
        'UNKNOWN_FIELD',
      ].includes(outcome.code),
    );
    assert.equal(typeof outcome.reason, 'string');
    return;
  }
  const call = outcome.call;
  assert.ok(call.clickId !== null && call.clickId === call.clickId.trim() && call.clickId !== '' && !isUnreplacedMacro(call.clickId));
  for (const amount of [call.amount, call.saleAmount]) assert.ok(amount === null || AMOUNT_PATTERN.test(amount), String(amount));
  assert.ok(call.currency === null || /^[A-Z]{3}$/.test(call.currency));
  assert.ok(call.status === null || ['pending', 'approved', 'declined'].includes(call.status));
  assert.ok(call.sequenceNumber === null || Number.isSafeInteger(call.sequenceNumber));
  for (const text of [call.transactionId, call.conversionType, call.token]) assert.ok(text === null || typeof text === 'string');
  for (const [k, v] of Object.entries(call.extra)) assert.ok(typeof v === 'string' && !['token', 'api_key'].includes(k));
  assert.ok(call.notes.every((n) => typeof n === 'string'));
}

describe('every adapter, on arbitrary input', () => {
  for (const [endpoint, adapter] of Object.entries(ADAPTERS)) {
    it(`${endpoint} never throws and returns a well-formed outcome`, () => {
      fc.assert(
        fc.property(rawCall, network, (call, net) => checkOutcome(adapter.parse(call, net))),
        { numRuns: 400 },
      );
    });
  }

  it('keeps a click id exactly as the HTTP layer decoded it, only trimmed', () => {
    const clickId = fc.string({ minLength: 1 }).filter((s) => s.trim() === s && s !== '' && !isUnreplacedMacro(s));
    fc.assert(
      fc.property(clickId, (id) => {
        const outcome = ADAPTERS.generic.parse(
          { method: 'GET', url: '/postback', query: { clickid: ` ${id}\t` }, body: null, contentType: null, cookies: {} },
          null,
        );
        assert.ok(outcome.ok);
        assert.equal(outcome.call.clickId, id);
      }),
    );
  });

  it('reads the same click id from a JSON body as from the query', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }).filter((s) => s.trim() === s && !isUnreplacedMacro(s)),
        (id) => {
          const outcome = ADAPTERS.tradedoubler.parse(
            { method: 'POST', url: '/r', query: {}, body: JSON.stringify({ epi: id }), contentType: 'application/json', cookies: {} },
            null,
          );
          assert.ok(outcome.ok);
          assert.equal(outcome.call.clickId, id);
        },
      ),
    );
  });
});
