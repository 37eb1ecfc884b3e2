import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertLiteralHost,
  findTemplateAttributes,
  renderCustom,
  renderJson,
  renderTrafficSourceUrl,
  renderUrl,
  renderXml,
  validateTemplate,
} from './template.renderer';

const HOSTILE = ['a&payout=9', 'x\r\nSet-Cookie: a', '"}, "evil": "', '</x><y>', ', key=value', 'é€😀', '${payout}'];

describe('template attributes', () => {
  it('finds each attribute once, in order', () => {
    assert.deepEqual(findTemplateAttributes('a=${payout}&b=${clickId}&c=${payout}'), ['payout', 'clickId']);
  });

  it('names unknown attributes and accepts the custom one', () => {
    const template = '${payout}${tier}${foo}${ bar }${constructor}';
    assert.deepEqual(validateTemplate(template, ['tier']), ['foo', ' bar ', 'constructor']);
    assert.deepEqual(validateTemplate('{{constructor.constructor("x")()}} <%= 1 %> {payout}', []), []);
  });
});

describe('renderUrl', () => {
  it('percent-encodes so a value adds no parameter, segment or line', () => {
    for (const value of HOSTILE) {
      const out = renderUrl('https://r.example/pb/${clickId}?payout=${payout}&x=1', { clickId: 'c1', payout: value });
      const url = new URL(out);
      assert.equal(url.host, 'r.example');
      assert.equal(url.pathname, '/pb/c1');
      assert.deepEqual([...url.searchParams.keys()], ['payout', 'x']);
      assert.equal(url.searchParams.get('payout'), value);
      assert.doesNotMatch(out, /[\r\n ]/);
    }
  });

  it('keeps a path value inside its segment', () => {
    assert.equal(renderUrl('https://r.example/${clickId}/pb', { clickId: '../../admin?#' }), 'https://r.example/..%2F..%2Fadmin%3F%23/pb');
  });

  it('renders missing, null and inherited names empty and does not expand twice', () => {
    assert.equal(renderUrl('a=${payout}&b=${status}&c=${constructor}', { payout: null }), 'a=&b=&c=');
    assert.equal(renderUrl('a=${status}', { status: '${payout}', payout: 5 }), 'a=%24%7Bpayout%7D');
    assert.equal(renderUrl('a=${payout}', { payout: 12.5 }), 'a=12.5');
  });

  it('survives a lone surrogate', () => {
    assert.equal(renderUrl('a=${status}', { status: 'x\uD800' }), 'a=x%EF%BF%BD');
  });
});

describe('renderJson', () => {
  it('escapes values as the inside of a JSON string', () => {
    for (const value of HOSTILE) {
      const out = renderJson('{"status": "${status}", "n": 1}', { status: value });
      assert.deepEqual(JSON.parse(out), { status: value, n: 1 });
      assert.doesNotMatch(out, /[<>\r\n\u2028\u2029]/);
    }
    const separators = renderJson('"${status}"', { status: '\u2028\u2029\u0000' });
    assert.equal(separators, '"\\u2028\\u2029\\u0000"');
    assert.equal(JSON.parse(separators), '\u2028\u2029\u0000');
  });
});

describe('renderXml', () => {
  it('escapes markup and quotes', () => {
    const out = renderXml('<m a="${status}">${status}</m>', { status: `</x><y a='1' b="2">&amp;` });
    assert.equal(out, '<m a="&lt;/x&gt;&lt;y a=&apos;1&apos; b=&quot;2&quot;&gt;&amp;amp;">&lt;/x&gt;&lt;y a=&apos;1&apos; b=&quot;2&quot;&gt;&amp;amp;</m>');
  });

  it('keeps line breaks as character references and replaces forbidden characters', () => {
    assert.equal(renderXml('${status}', { status: 'a\r\nb\u0001é' }), 'a&#13;&#10;b\uFFFDé');
  });
});

describe('renderCustom', () => {
  it('lets no value add a key', () => {
    const out = renderCustom('status=${status}, payout=${payout}', { status: ', key=value\r\nx=1;a&b', payout: '100%' });
    assert.equal(out, 'status=%2C key%3Dvalue%0D%0Ax%3D1%3Ba%26b, payout=100%25');
    assert.equal(out.split(', ').length, 2);
    assert.equal(decodeURIComponent(out.split(', ')[0].slice('status='.length)), ', key=value\r\nx=1;a&b');
  });
});

describe('renderTrafficSourceUrl', () => {
  it('replaces known macros percent-encoded and leaves others as written', () => {
    const out = renderTrafficSourceUrl('https://ts.example/pb?cid={external_id}&p={payout}&t={txid}&s={sub2}&x=${payout}', {
      external_id: 'a&b=1',
      payout: '9.5',
      txid: 'x\r\ny',
      sub2: 'never',
    });
    assert.equal(out, 'https://ts.example/pb?cid=a%26b%3D1&p=9.5&t=x%0D%0Ay&s={sub2}&x=$9.5');
  });

  it('does not expand a macro inside a value', () => {
    assert.equal(renderTrafficSourceUrl('?a={status}', { status: '{payout}', payout: '1' }), '?a=%7Bpayout%7D');
  });
});

describe('assertLiteralHost', () => {
  it('accepts literal http(s) hosts with attributes in path and query', () => {
    assert.equal(assertLiteralHost('https://r.example:8443/pb/${clickId}?p=${payout}#${status}'), null);
    assert.equal(assertLiteralHost('http://r.example/pb?c={click_id}'), null);
  });

  it('refuses a templated scheme, host, port or user info', () => {
    for (const template of [
      '${scheme}://r.example/',
      'https://${host}/pb',
      'https://{sub1}/pb',
      '{sub1}',
      'https://x.com@{sub1}/',
      'https://r.example${clickId}/x',
      'https://r.example:${port}/',
      'https://${user}@r.example/',
    ]) {
      assert.notEqual(assertLiteralHost(template), null, template);
    }
  });

  it('refuses other schemes, user info and relative URLs', () => {
    for (const url of ['ftp://r.example/', 'file:///etc/passwd', 'javascript:alert(1)', 'https://u:p@r.example/', '/pb', 'https://']) {
      assert.notEqual(assertLiteralHost(url), null, url);
    }
  });
});
