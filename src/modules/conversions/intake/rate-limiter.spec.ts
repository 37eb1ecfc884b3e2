import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it('allows the limit per minute, then refuses, telling the first refusal apart', () => {
    let now = 0;
    const limiter = new RateLimiter(3, 100, () => now);
    assert.deepEqual(
      [1, 2, 3, 4, 5].map(() => limiter.hit('a')),
      ['allowed', 'allowed', 'allowed', 'first-refusal', 'refused'],
    );
    assert.equal(limiter.hit('b'), 'allowed');
    now = 60_000;
    assert.equal(limiter.hit('a'), 'allowed');
  });

  it('is off at 0', () => {
    const limiter = new RateLimiter(0);
    for (let i = 0; i < 1000; i++) assert.equal(limiter.hit('a'), 'allowed');
  });

  it('stays bounded with many addresses', () => {
    let now = 0;
    const limiter = new RateLimiter(1, 10, () => now);
    for (let i = 0; i < 1000; i++) limiter.hit(`ip${i}`);
    now = 1;
    assert.equal(limiter.hit('ip999'), 'first-refusal');
    assert.ok((limiter as unknown as { windows: Map<string, unknown> }).windows.size <= 10);
  });
});
