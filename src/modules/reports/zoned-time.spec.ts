import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isZoneName, offsetAt, wallClockToInstant, ZoneTimeline } from './zoned-time';

describe('zoned time', () => {
  it('knows zone names, not offsets or unknown places', () => {
    for (const tz of ['UTC', 'Asia/Kathmandu', 'asia/kolkata', 'America/New_York', 'Etc/GMT+5']) assert.ok(isZoneName(tz), tz);
    for (const tz of ['+05:45', 'Mars/Olympus', 'localtime', "UTC'; --", '']) assert.ok(!isZoneName(tz), tz);
  });

  it('finds every offset change of a year, to the second', () => {
    const from = Date.parse('2024-01-01T00:00:00Z');
    const to = Date.parse('2025-01-01T00:00:00Z');
    // Lord Howe moves by half an hour; Santiago changes in April and September.
    for (const tz of ['Europe/London', 'Australia/Lord_Howe', 'America/Santiago', 'Asia/Kathmandu']) {
      const zone = new ZoneTimeline(tz, from, to);
      for (let t = from; t < to; t += 3_600_000 * 7 + 61_000) assert.equal(zone.offsetAt(t), offsetAt(t, tz), `${tz} at ${new Date(t).toISOString()}`);
    }
  });

  it('turns wall-clock times into instants, skipping the missing hour', () => {
    assert.equal(wallClockToInstant(Date.parse('2024-03-11T00:00:00Z'), 'Asia/Kathmandu').toISOString(), '2024-03-10T18:15:00.000Z');
    // 02:30 does not exist in New York on 10 March 2024: the answer is just after the gap (03:30 EDT).
    assert.equal(wallClockToInstant(Date.parse('2024-03-10T02:30:00Z'), 'America/New_York').toISOString(), '2024-03-10T07:30:00.000Z');
    const zone = new ZoneTimeline('America/New_York', Date.parse('2024-11-01T00:00:00Z'), Date.parse('2024-11-05T00:00:00Z'));
    // 01:30 on 3 November happens twice; the first (EDT) is taken.
    assert.equal(new Date(zone.toInstant(Date.parse('2024-11-03T01:30:00Z'))).toISOString(), '2024-11-03T05:30:00.000Z');
  });
});
