import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { networkIdOf, queryOf } from './replay.call';

describe('replay call', () => {
  it('finds the network named in the path', () => {
    assert.equal(networkIdOf('/postback/abc?x=1'), 'abc');
    assert.equal(networkIdOf('/postback/abc'), 'abc');
    assert.equal(networkIdOf('/receivers/tradedoubler/n%201?x'), 'n 1');
    assert.equal(networkIdOf('/receivers/tradetracker/z/'), 'z');
    assert.equal(networkIdOf('/postback?x=/postback/abc'), null);
    assert.equal(networkIdOf('/a.gif?h=1'), null);
  });

  it('reads the query as the HTTP layer does', () => {
    const q = queryOf('/postback?a=1&a=2&b=x+y&c=%zz&d=%2B');
    assert.deepEqual(q.a, ['1', '2']);
    assert.equal(q.b, 'x y');
    assert.equal(q.c, '%zz');
    assert.equal(q.d, '+');
  });
});
