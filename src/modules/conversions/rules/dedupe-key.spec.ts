import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dedupeKeyOf, unattributedKeyOf } from './dedupe-key';

const base = { networkId: 'n1', transactionId: 'T1', clickId: 'c1', typeId: '1', multiplePerClick: false };

describe('dedupe keys', () => {
  it('per network, transaction and type; else per click and type', () => {
    assert.equal(dedupeKeyOf(base), 'tx:n1:T1:1');
    assert.equal(dedupeKeyOf({ ...base, networkId: null }), 'tx:-:T1:1');
    assert.equal(dedupeKeyOf({ ...base, transactionId: null }), 'click:c1:1');
  });
  it('a Trackdesk externalId is one key per network whatever the type', () => {
    const td = { ...base, transactionAcrossTypes: true };
    assert.equal(dedupeKeyOf(td), 'tx:n1:T1:*');
    assert.equal(dedupeKeyOf({ ...td, typeId: '2' }), dedupeKeyOf(td));
    assert.equal(unattributedKeyOf(td), 'tx:-:T1:*');
  });
  it('a fresh key per call when the type allows several per click', () => {
    const a = dedupeKeyOf({ ...base, transactionId: null, multiplePerClick: true });
    const b = dedupeKeyOf({ ...base, transactionId: null, multiplePerClick: true });
    assert.notEqual(a, b);
    assert.equal(dedupeKeyOf({ ...base, multiplePerClick: true }), 'tx:n1:T1:1');
  });
  it('hashes long parts so the index entry stays small', () => {
    const key = dedupeKeyOf({ ...base, transactionId: 'x'.repeat(5000) });
    assert.ok(key.length < 100);
    assert.notEqual(key, dedupeKeyOf({ ...base, transactionId: 'x'.repeat(5001) }));
  });
  it('names the key the call had while its click was unknown', () => {
    assert.equal(unattributedKeyOf(base), 'tx:-:T1:1');
    assert.equal(unattributedKeyOf({ ...base, transactionId: null }), null);
    assert.equal(unattributedKeyOf({ ...base, networkId: null }), null);
  });
});

describe('dedupe keys of unstorable text', () => {
  it('hashes parts holding NUL or unpaired surrogates, distinctly', () => {
    const a = dedupeKeyOf({ ...base, transactionId: 'a\u0000b' });
    const b = dedupeKeyOf({ ...base, transactionId: 'a\uFFFDb' });
    assert.ok(!a.includes('\u0000'));
    assert.notEqual(a, b);
    assert.notEqual(dedupeKeyOf({ ...base, clickId: '\uD800', transactionId: null }), dedupeKeyOf({ ...base, clickId: '\uDC00', transactionId: null }));
  });
});
