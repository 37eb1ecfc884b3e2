import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_ATTEMPTS, RETRY_AFTER_CAP_MS, nextAttemptDelayMs, nominalDelayMs, parseRetryAfter } from './retry.policy';

const HOUR = 3_600_000;

function schedule(random: () => number): number[] {
  const delays: number[] = [];
  for (let attempt = 1; ; attempt += 1) {
    const delay = nextAttemptDelayMs(attempt, random);
    if (delay === null) return delays;
    delays.push(delay);
  }
}

describe('retry policy', () => {
  it('starts at seconds and doubles to a one-hour cap', () => {
    assert.deepEqual([1, 2, 3, 4].map(nominalDelayMs), [5_000, 10_000, 20_000, 40_000]);
    assert.equal(nominalDelayMs(11), HOUR);
    assert.equal(nominalDelayMs(500), HOUR);
  });

  it('jitters within [d/2, d]', () => {
    assert.equal(
      nextAttemptDelayMs(1, () => 0),
      2_500,
    );
    assert.equal(
      nextAttemptDelayMs(1, () => 0.999999),
      5_000,
    );
    assert.equal(
      nextAttemptDelayMs(12, () => 0.5),
      0.75 * HOUR,
    );
  });

  it('keeps retrying for at least 24 hours, however the dice fall, then stops', () => {
    for (const random of [() => 0, () => 0.5, () => 0.999999, Math.random]) {
      const delays = schedule(random);
      assert.equal(delays.length, MAX_ATTEMPTS - 1);
      const total = delays.reduce((a, b) => a + b, 0);
      assert.ok(total >= 24 * HOUR, `total ${total / HOUR} h`);
      assert.ok(total <= 49 * HOUR, `total ${total / HOUR} h`);
    }
    assert.equal(nextAttemptDelayMs(MAX_ATTEMPTS), null);
    assert.equal(nextAttemptDelayMs(MAX_ATTEMPTS + 10, Math.random, 1_000), null);
  });

  it('does not retry sooner as attempts grow', () => {
    const nominal = Array.from({ length: MAX_ATTEMPTS - 1 }, (_, i) => nominalDelayMs(i + 1));
    for (let i = 1; i < nominal.length; i += 1) assert.ok(nominal[i] >= nominal[i - 1]);
  });

  it('honours a longer Retry-After, capped', () => {
    assert.equal(
      nextAttemptDelayMs(1, () => 0, 7_000),
      7_000,
    );
    assert.equal(
      nextAttemptDelayMs(1, () => 0, 1_000),
      2_500,
    );
    assert.equal(
      nextAttemptDelayMs(1, () => 0, null),
      2_500,
    );
    assert.equal(
      nextAttemptDelayMs(1, () => 0, 30 * 24 * HOUR),
      RETRY_AFTER_CAP_MS,
    );
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and dates, and ignores nonsense', () => {
    const now = Date.parse('2024-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('120', now), 120_000);
    assert.equal(parseRetryAfter('Mon, 01 Jan 2024 00:01:00 GMT', now), 60_000);
    assert.equal(parseRetryAfter('Sun, 31 Dec 2023 00:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('soon', now), null);
    assert.equal(parseRetryAfter(undefined, now), null);
  });
});
