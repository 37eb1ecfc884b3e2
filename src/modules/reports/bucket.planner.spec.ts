import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { coverByDays, planBuckets, Segment } from './bucket.planner';

const at = (iso: string) => new Date(iso);
const seg = (s: Segment) => `${s.grain}:${s.start.toISOString().slice(11, 16)}-${s.end.toISOString().slice(11, 16)}`;

describe('planBuckets', () => {
  it('cuts Kathmandu days at 18:15 UTC and covers each with quarter hours and hours', () => {
    const plan = planBuckets(at('2024-03-10T00:00:00Z'), at('2024-03-12T00:00:00Z'), 'Asia/Kathmandu', ['day']);
    assert.deepEqual(
      plan.pieces.map((p) => [p.start.toISOString(), p.label]),
      [
        ['2024-03-10T00:00:00.000Z', '2024-03-10 05:45:00'],
        ['2024-03-10T18:15:00.000Z', '2024-03-11 00:00:00'],
        ['2024-03-11T18:15:00.000Z', '2024-03-12 00:00:00'],
      ],
    );
    const second = plan.segments.filter((s) => s.label === '2024-03-11 00:00:00').map(seg);
    assert.deepEqual(second, ['15:18:15-19:00', '15:18:00-18:15', '60:19:00-18:00'], 'no whole UTC day lies inside a Kathmandu day');
    assert.deepEqual(plan.rawEdges, []);
  });

  it('uses whole UTC days where they fit, raw rows only for what is not a whole quarter hour', () => {
    const plan = planBuckets(at('2024-03-01T10:07:30Z'), at('2024-03-05T06:50:00Z'), 'UTC', []);
    assert.equal(plan.pieces.length, 1);
    assert.deepEqual(plan.segments.map(seg), ['15:10:15-11:00', '15:06:00-06:45', '60:11:00-00:00', '60:00:00-06:00', '1440:00:00-00:00']);
    assert.deepEqual(
      plan.rawEdges.map((e) => [e.start.toISOString(), e.end.toISOString()]),
      [
        ['2024-03-01T10:07:30.000Z', '2024-03-01T10:15:00.000Z'],
        ['2024-03-05T06:45:00.000Z', '2024-03-05T06:50:00.000Z'],
      ],
    );
    const covered = [...plan.segments, ...plan.rawEdges].reduce((n, s) => n + (s.end.getTime() - s.start.getTime()), 0);
    assert.equal(covered, at('2024-03-05T06:50:00Z').getTime() - at('2024-03-01T10:07:30Z').getTime());
  });

  it('follows summer time: New York days are 23 hours long on 10 March 2024', () => {
    const plan = planBuckets(at('2024-03-09T05:00:00Z'), at('2024-03-12T04:00:00Z'), 'America/New_York', ['day']);
    assert.deepEqual(
      plan.pieces.map((p) => [p.start.toISOString(), p.label]),
      [
        ['2024-03-09T05:00:00.000Z', '2024-03-09 00:00:00'],
        ['2024-03-10T05:00:00.000Z', '2024-03-10 00:00:00'],
        ['2024-03-11T04:00:00.000Z', '2024-03-11 00:00:00'],
      ],
    );
  });

  it('starts weeks on Monday and months on the first, in the zone', () => {
    const plan = planBuckets(at('2024-03-01T00:00:00Z'), at('2024-04-10T00:00:00Z'), 'Asia/Kathmandu', ['week', 'month']);
    const starts = plan.pieces.map((p) => p.label.slice(0, 10));
    assert.deepEqual(starts, ['2024-03-01', '2024-03-04', '2024-03-11', '2024-03-18', '2024-03-25', '2024-04-01', '2024-04-08']);
  });

  it('covers New York days with UTC days less and plus raw hours, for rollups that keep days alone', () => {
    const from = at('2024-03-09T05:00:00Z');
    const to = at('2024-03-12T03:00:00Z');
    const plan = planBuckets(from, to, 'America/New_York', ['day']);
    const cover = coverByDays(plan.pieces);
    const span = (x: { start: Date; end: Date }) => `${x.start.toISOString().slice(5, 13)}-${x.end.toISOString().slice(5, 13)}`;
    assert.deepEqual(
      cover.segments.map((s) => [s.grain, span(s), s.label.slice(0, 10)]),
      [
        [1440, '03-09T00-03-10T00', '2024-03-09'],
        [1440, '03-10T00-03-11T00', '2024-03-10'],
        [1440, '03-11T00-03-12T00', '2024-03-11'],
      ],
      'each day from the UTC day it holds most of (the 23-hour 10 March too)',
    );
    assert.deepEqual(
      cover.raw.map((r) => [r.sign, span(r), r.label.slice(0, 10)]),
      [
        [-1, '03-09T00-03-09T05', '2024-03-09'],
        [1, '03-10T00-03-10T05', '2024-03-09'],
        [-1, '03-10T00-03-10T05', '2024-03-10'],
        [1, '03-11T00-03-11T04', '2024-03-10'],
        [-1, '03-11T00-03-11T04', '2024-03-11'],
        [1, '03-12T00-03-12T03', '2024-03-11'],
      ],
      'the hours before each day taken away, those of the next UTC day added',
    );
    // Every piece is exactly its days plus and minus its raw ranges.
    for (const p of plan.pieces) {
      const days = cover.segments.filter((s) => s.label === p.label).reduce((n, s) => n + s.end.getTime() - s.start.getTime(), 0);
      const raw = cover.raw.filter((r) => r.label === p.label).reduce((n, r) => n + r.sign * (r.end.getTime() - r.start.getTime()), 0);
      assert.equal(days + raw, p.end.getTime() - p.start.getTime(), p.label);
    }
  });

  it('reads raw what holds half a UTC day or less: hours, half a day', () => {
    const hours = coverByDays(planBuckets(at('2024-03-10T00:30:00Z'), at('2024-03-10T03:30:00Z'), 'Asia/Kolkata', ['hour']).pieces);
    assert.deepEqual(hours.segments, []);
    assert.ok(hours.raw.length === 3 && hours.raw.every((r) => r.sign === 1));
    const utc = coverByDays(planBuckets(at('2024-03-10T06:00:00Z'), at('2024-03-13T20:00:00Z'), 'UTC', []).pieces);
    assert.deepEqual(
      [utc.segments.map((s) => [s.start.toISOString(), s.end.toISOString()]), utc.raw.map((r) => [r.sign, r.start.toISOString(), r.end.toISOString()])],
      [
        [['2024-03-10T00:00:00.000Z', '2024-03-14T00:00:00.000Z']],
        [
          [-1, '2024-03-10T00:00:00.000Z', '2024-03-10T06:00:00.000Z'],
          [-1, '2024-03-13T20:00:00.000Z', '2024-03-14T00:00:00.000Z'],
        ],
      ],
      'one piece: its first and last days whole, less the hours outside it',
    );
    const short = coverByDays(planBuckets(at('2024-03-10T06:00:00Z'), at('2024-03-10T18:00:00Z'), 'UTC', []).pieces);
    assert.deepEqual([short.segments, short.raw.map((r) => r.sign)], [[], [1]], 'half a day: raw');
  });

  it('refuses a window with too many buckets', () => {
    assert.throws(() => planBuckets(at('2000-01-01T00:00:00Z'), at('2024-01-01T00:00:00Z'), 'UTC', ['hour']), /narrow from\/to/);
  });
});
