import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ZonedClock } from './zoned-clock';

describe('ZonedClock', () => {
  it('local day, weekday and hour in a zone, including across a DST change', () => {
    const berlin = new ZonedClock('Europe/Berlin');
    // 2026-10-24 22:30 UTC is Sunday 00:30 CEST (+2); after the change (25th 01:00 UTC) Berlin is +1.
    assert.equal(berlin.day(Date.UTC(2026, 9, 24, 22, 30)), '2026-10-25');
    assert.equal(berlin.weekday(Date.UTC(2026, 9, 24, 22, 30)), 7);
    assert.equal(berlin.day(Date.UTC(2026, 9, 24, 21, 59)), '2026-10-24');
    assert.equal(berlin.day(Date.UTC(2026, 9, 25, 22, 59)), '2026-10-25');
    assert.equal(berlin.day(Date.UTC(2026, 9, 25, 23, 0)), '2026-10-26');
    assert.equal(berlin.weekday(Date.UTC(2026, 9, 25, 23, 0)), 1);
    assert.equal(berlin.hour(Date.UTC(2026, 9, 25, 0, 59)), 2); // CEST
    assert.equal(berlin.hour(Date.UTC(2026, 9, 25, 1, 0)), 2); // CET: 02:00 again
    const utc = new ZonedClock('UTC');
    assert.equal(utc.day(Date.UTC(2026, 0, 1, 0, 0)), '2026-01-01');
    assert.equal(utc.weekday(Date.UTC(2026, 0, 1)), 4); // a Thursday
    assert.equal(utc.hour(Date.UTC(2026, 0, 1, 23, 59, 59, 999)), 23);
  });
});
