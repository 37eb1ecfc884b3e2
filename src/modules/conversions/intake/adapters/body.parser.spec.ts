import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBody } from './body.parser';
import type { FieldsReading } from './fields';

function fields(reading: FieldsReading): Record<string, string[]> {
  if (!reading.ok) assert.fail(reading.reason);
  return Object.fromEntries(reading.fields);
}

describe('parseBody', () => {
  it('has no fields for no body', () => {
    assert.deepEqual(fields(parseBody(null, null)), {});
    assert.deepEqual(fields(parseBody('  \n', 'text/plain')), {});
  });

  it('reads JSON numbers from their text: exact big ids, no float rounding', () => {
    const body = '{"clickid":"abc","payout":12.50,"id":12345678901234567890,"neg":-1,"ok":true,"none":null}';
    assert.deepEqual(fields(parseBody(body, 'application/json')), {
      clickid: ['abc'],
      payout: ['12.50'],
      id: ['12345678901234567890'],
      neg: ['-1'],
      ok: ['true'],
    });
  });

  it('tells the formats apart by the body, whatever the content type says', () => {
    const custom = 'epi=016aee815478a1b2c3d4e5f6, transactionId=T-9, orderValue=12.50, currencyId=EUR';
    const expected = { epi: ['016aee815478a1b2c3d4e5f6'], transactionId: ['T-9'], orderValue: ['12.50'], currencyId: ['EUR'] };
    assert.deepEqual(fields(parseBody(custom, 'application/x-www-form-urlencoded')), expected);
    assert.deepEqual(fields(parseBody(custom, 'application/json')), expected);
    assert.deepEqual(fields(parseBody(custom.replace(/, /g, '\n'), 'text/plain')), expected);
    assert.deepEqual(fields(parseBody('clickid=a%20b&payout=1', 'application/json')), { clickid: ['a b'], payout: ['1'] });
    assert.deepEqual(fields(parseBody('{"clickid":"x"}', 'application/x-www-form-urlencoded')), { clickid: ['x'] });
    assert.deepEqual(fields(parseBody('clickid=a%20b', 'application/x-www-form-urlencoded')), { clickid: ['a b'] });
  });

  it('keeps exponent forms as written, so the amount parser can refuse them', () => {
    assert.deepEqual(fields(parseBody('{"payout": 1.5e2, "s": "1e5 \\" 7"}', null)), { payout: ['1.5e2'], s: ['1e5 " 7'] });
  });

  it('flattens nested JSON to dotted names, arrays to repeated values', () => {
    const body = { amount: { value: '3.00' }, customParams: { advS1: 'x' }, couponCodes: ['A', 'B'], items: [{ sku: 'k' }] };
    assert.deepEqual(fields(parseBody(JSON.stringify(body), 'application/json')), {
      'amount.value': ['3.00'],
      'customParams.advS1': ['x'],
      couponCodes: ['A', 'B'],
      'items.0.sku': ['k'],
    });
  });

  it('refuses JSON that does not parse or is not an object', () => {
    for (const body of ['{"tid" : {tid}, "payout": 1,}', '{"Action Life Cycle Postback", "campaign_id": 1}', '[1,2]', '"x"', '{']) {
      const reading = parseBody(body, 'application/json');
      assert.equal(reading.ok, false, body);
    }
  });

  it('reads XML with any root element, with or without a declaration', () => {
    const a = '<?xml version="1.0" encoding="UTF-8"?>\n<conversion>\n  <epi>abc</epi>\n  <orderValue>059.90</orderValue>\n</conversion>';
    const b = '<message><epi>abc</epi><orderValue>059.90</orderValue><empty/></message>';
    assert.deepEqual(fields(parseBody(a, 'application/xml')), { epi: ['abc'], orderValue: ['059.90'] });
    assert.deepEqual(fields(parseBody(b, 'text/xml')), { epi: ['abc'], orderValue: ['059.90'], empty: [''] });
  });

  it('decodes XML entities once', () => {
    assert.deepEqual(fields(parseBody('<m><epi>a&amp;b&#43;c&amp;amp;</epi></m>', null)), { epi: ['a&b+c&amp;'] });
  });

  it('refuses XML that is not well formed, has no children or brings a DTD', () => {
    for (const body of [
      '<conversion><epi>x</conversion>',
      '<conversion>text</conversion>',
      '<!DOCTYPE x [<!ENTITY a "b">]><x><y>&a;</y></x>',
      '<constructor><x>1</x></constructor>',
    ]) {
      assert.equal(parseBody(body, 'application/xml').ok, false, body);
    }
  });

  it('reads the Tradedoubler custom format literally', () => {
    const body = 'transactionId=TX2, orderValue=10.00, currencyId=EUR, epi=a%41+b';
    assert.deepEqual(fields(parseBody(body, 'text/plain')), {
      transactionId: ['TX2'],
      orderValue: ['10.00'],
      currencyId: ['EUR'],
      epi: ['a%41+b'],
    });
  });

  it('keeps a comma decimal together in the custom format', () => {
    assert.deepEqual(fields(parseBody('orderValue=12,50, currencyId=EUR', null)), { orderValue: ['12,50'], currencyId: ['EUR'] });
  });

  it('reads form bodies, decoding once', () => {
    const body = 'clickid=abc%2Bdef%2F%3D%3D&payout=5.5&x=%2541&transaction%5Bamount%5D=9&sp=a+b';
    assert.deepEqual(fields(parseBody(body, 'application/x-www-form-urlencoded')), {
      clickid: ['abc+def/=='],
      payout: ['5.5'],
      x: ['%41'],
      'transaction[amount]': ['9'],
      sp: ['a b'],
    });
  });

  it('reads a text/plain body that is really a query string', () => {
    assert.deepEqual(fields(parseBody('clickid=abc&payout=1', 'text/plain')), { clickid: ['abc'], payout: ['1'] });
  });

  it('refuses text that is no key=value list, and multipart', () => {
    assert.equal(parseBody('hello world', 'text/plain').ok, false);
    assert.equal(parseBody('--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1', 'multipart/form-data; boundary=x').ok, false);
  });
});
