import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SqlConditions } from './sql-conditions';

describe('SqlConditions', () => {
  it('binds each given value in order and skips absent ones', () => {
    const c = new SqlConditions()
      .eq('a.x', 'one')
      .eq('a.y', null)
      .add((p) => `a.z < ${p}`, 5)
      .eq('a.w', undefined);
    c.with(['a.k IS NOT NULL']);
    assert.equal(c.where, 'WHERE a.x = $1 AND a.z < $2 AND a.k IS NOT NULL');
    assert.equal(c.limit(51), '$3');
    assert.deepEqual(c.params, ['one', 5, 51]);
  });

  it('answers no WHERE without conditions', () => {
    assert.equal(new SqlConditions().where, '');
  });
});
