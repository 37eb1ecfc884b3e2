import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileTemplate, lookupIn, renderTemplate } from './macro.renderer';

const render = (url: string, values: Record<string, string>) => renderTemplate(compileTemplate(url), lookupIn(values));
const OFFER = 'https://offer.example/aff_c?offer_id=12&aff_sub={click_id}&s2={source}';

describe('macro renderer', () => {
  it('puts values where the macros are', () => {
    assert.equal(render(OFFER, { click_id: 'abc', source: 'blog' }), 'https://offer.example/aff_c?offer_id=12&aff_sub=abc&s2=blog');
    assert.equal(render('https://x.example/{a}{b}/z#{c}', { a: '1', b: '2', c: '3' }), 'https://x.example/12/z#3');
    assert.equal(render('https://x.example/', {}), 'https://x.example/');
  });

  it('leaves unknown macros as written and renders known empty ones as nothing', () => {
    assert.equal(render(OFFER, { click_id: '' }), 'https://offer.example/aff_c?offer_id=12&aff_sub=&s2={source}');
    assert.equal(render('https://x.example/?a={constructor}&b={__proto__}&c={toString}', {}), 'https://x.example/?a={constructor}&b={__proto__}&c={toString}');
    assert.equal(render('https://x.example/?a={not a macro}&b={}', { 'not a macro': 'x' }), 'https://x.example/?a={not%20a%20macro}&b={}');
  });

  it('encodes hostile values so they add no parameter, path segment or header line', () => {
    const hostile: [string, string][] = [
      ['a&payout=9', 'a%26payout%3D9'],
      ['//evil.example', '%2F%2Fevil.example'],
      ['x\r\nSet-Cookie: a=b', 'x%0D%0ASet-Cookie%3A%20a%3Db'],
      ['%2F%2F', '%252F%252F'],
      ['#frag?q', '%23frag%3Fq'],
      ['é😀', '%C3%A9%F0%9F%98%80'],
      ['\ud800x', '%EF%BF%BDx'],
    ];
    for (const [value, encoded] of hostile) {
      const out = render(OFFER, { click_id: 'id', source: value });
      assert.equal(out, `https://offer.example/aff_c?offer_id=12&aff_sub=id&s2=${encoded}`);
      const u = new URL(out);
      assert.equal(u.host, 'offer.example');
      assert.deepEqual([...u.searchParams.keys()], ['offer_id', 'aff_sub', 's2']);
    }
    const inPath = render('https://x.example/a/{v}/b', { v: '../../../admin?x=1' });
    assert.equal(inPath, 'https://x.example/a/..%2F..%2F..%2Fadmin%3Fx%3D1/b');
    assert.equal(new URL(inPath).pathname, '/a/..%2F..%2F..%2Fadmin%3Fx%3D1/b');
  });

  it('renders a 10 KB value whole', () => {
    const big = 'x'.repeat(10_240);
    assert.equal(new URL(render(OFFER, { click_id: 'id', source: big })).searchParams.get('s2'), big);
  });

  it('keeps the configured scheme, host and port whatever the values', () => {
    for (const v of ['@evil.example', ':9999', '/evil.example/', '\\\\evil.example', 'https://evil.example'])
      assert.equal(new URL(render('https://x.example:8443/{p}', { p: v })).host, 'x.example:8443');
    // Management refuses a macro in the host; were one there, it is never rendered.
    assert.equal(render('https://{p}.example/{p}', { p: 'evil' }), 'https://{p}.example/evil');
    assert.equal(render('https://BÜCHER.example/ä b', {}), 'https://xn--bcher-kva.example/%C3%A4%20b');
  });
});
