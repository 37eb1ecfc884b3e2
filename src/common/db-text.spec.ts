import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cleanText, jsonParam } from './db-text';

describe('db-text', () => {
  it('replaces NUL and unpaired surrogates, keeps pairs', () => {
    assert.equal(cleanText('a\u0000b'), 'a\uFFFDb');
    assert.equal(cleanText('x\uD800y'), 'x\uFFFDy');
    assert.equal(cleanText('x\uDC00'), 'x\uFFFD');
    assert.equal(cleanText('😀'), '😀');
  });

  it('cleans keys and strings inside JSON', () => {
    const text = jsonParam({ 'k\u0000': ['v\uD800', { n: 'ok\u0000' }], d: 1 });
    assert.deepEqual(JSON.parse(text), { 'k\uFFFD': ['v\uFFFD', { n: 'ok\uFFFD' }], d: 1 });
    assert.ok(!text.includes('\\u0000') && !/\\ud8/i.test(text));
  });
});
