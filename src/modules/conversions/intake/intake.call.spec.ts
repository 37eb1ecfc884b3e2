import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCookies } from './intake.call';

describe('parseCookies', () => {
  it('reads names and values, the first value wins, bad escapes stay as sent', () => {
    const c = parseCookies('a=1; tt_cid=016aee815478abcdef012345; a=2; b="q%20x"; bad=%E0%A4%A');
    assert.equal(c.a, '1');
    assert.equal(c.tt_cid, '016aee815478abcdef012345');
    assert.equal(c.b, 'q x');
    assert.equal(c.bad, '%E0%A4%A');
  });

  it('ignores junk', () => {
    assert.deepEqual(Object.entries(parseCookies('=x; ;novalue; __proto__=1')), [['__proto__', '1']]);
    assert.deepEqual(Object.entries(parseCookies(undefined)), []);
  });
});
