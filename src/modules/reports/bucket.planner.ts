import { DomainException } from '../../common/domain.exception';
import type { TimeGrain } from './dimension.registry';
import { ZoneTimeline } from './zoned-time';

/** A stretch of time inside one report bucket of every grain in use; `label` is its local start. */
export interface Piece {
  start: Date;
  end: Date;
  /** Local wall-clock time of `start` (`YYYY-MM-DD HH:MM:SS`): `date_trunc(grain, label)` is its bucket. */
  label: string;
}

/** Rollup buckets of one grain (minutes) covering [start, end), all inside one piece. */
export interface Segment extends Piece {
  grain: 15 | 60 | 1440;
}

/** A raw range counted `sign` times: +1 added to its piece, -1 taken away from it. */
export interface SignedPiece extends Piece {
  sign: 1 | -1;
}

/** How a rollup keeping UTC days alone covers the pieces: its days, and raw ranges added or taken away. */
export interface DayCover {
  segments: Segment[];
  raw: SignedPiece[];
}

export interface BucketPlan {
  /** [from, to) cut at every local bucket boundary: what raw rows are grouped by. */
  pieces: Piece[];
  /** The quarter-aligned parts of the pieces, each in the coarsest rollup grain that fits. */
  segments: Segment[];
  /** What no rollup bucket covers: the parts of the pieces that are not whole quarter hours. */
  rawEdges: Piece[];
}

const MINUTE = 60_000;
const GRAIN_MS = { 15: 15 * MINUTE, 60: 60 * MINUTE, 1440: 1440 * MINUTE } as const;
/** Guards the size of one statement: hour buckets over about five years. */
export const MAX_PIECES = 50_000;

const ceil = (ms: number, step: number) => Math.ceil(ms / step) * step;
const floor = (ms: number, step: number) => Math.floor(ms / step) * step;

/** The local start of the grain's bucket holding wall time `w`, and the next bucket's start. */
function bucketStart(w: number, grain: TimeGrain): number {
  const d = new Date(w);
  const [y, m, day, h] = [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours()];
  if (grain === 'hour') return Date.UTC(y, m, day, h);
  if (grain === 'day') return Date.UTC(y, m, day);
  if (grain === 'week') return Date.UTC(y, m, day - ((d.getUTCDay() + 6) % 7));
  return Date.UTC(y, m, 1);
}

function nextBucket(w: number, grain: TimeGrain): number {
  const d = new Date(w);
  const [y, m, day, h] = [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours()];
  if (grain === 'hour') return Date.UTC(y, m, day, h + 1);
  if (grain === 'day') return Date.UTC(y, m, day + 1);
  if (grain === 'week') return Date.UTC(y, m, day + 7);
  return Date.UTC(y, m + 1, 1);
}

function wallLabel(w: number): string {
  return new Date(w).toISOString().slice(0, 19).replace('T', ' ');
}

/** Splits one piece into raw edges and rollup segments, coarsest first (day, hour, quarter). */
function cover(p: Piece, plan: BucketPlan): void {
  const a = p.start.getTime();
  const b = p.end.getTime();
  const raw = (s: number, e: number) => s < e && plan.rawEdges.push({ start: new Date(s), end: new Date(e), label: p.label });
  const seg = (grain: Segment['grain'], s: number, e: number) => s < e && plan.segments.push({ grain, start: new Date(s), end: new Date(e), label: p.label });
  let [lo, hi] = [a, b];
  for (const grain of [15, 60, 1440] as const) {
    const [clo, fhi] = [ceil(lo, GRAIN_MS[grain]), floor(hi, GRAIN_MS[grain])];
    if (clo >= fhi) {
      if (grain === 15) raw(lo, hi);
      else seg(grain === 60 ? 15 : 60, lo, hi);
      return;
    }
    if (grain === 15) {
      raw(lo, clo);
      raw(fhi, hi);
    } else {
      seg(grain === 60 ? 15 : 60, lo, clo);
      seg(grain === 60 ? 15 : 60, fhi, hi);
    }
    [lo, hi] = [clo, fhi];
  }
  seg(1440, lo, hi);
}

const DAY_MS = GRAIN_MS[1440];

/**
 * Covers each piece with the UTC days of a rollup that keeps days alone (the slot rollups): a day
 * the piece holds more than half of is read whole from the rollup, and what of it lies outside
 * the piece is taken away from raw visits; a day it holds half of or less is read raw. A New York
 * day (05:00 to 05:00 UTC) is then its UTC day less 5 hours, plus 5 hours of the next: raw visits
 * of 10 hours instead of 24, and the same 5 hours for the next piece (issue 14).
 */
export function coverByDays(pieces: readonly Piece[]): DayCover {
  const out: DayCover = { segments: [], raw: [] };
  for (const p of pieces) {
    const [a, b] = [p.start.getTime(), p.end.getTime()];
    const raw = (s: number, e: number, sign: 1 | -1) => s < e && out.raw.push({ start: new Date(s), end: new Date(e), label: p.label, sign });
    // The days read whole lie together: every day but the first and last is wholly inside the piece.
    let [first, last] = [Infinity, -Infinity];
    for (let day = floor(a, DAY_MS); day < b; day += DAY_MS) {
      const [s, e] = [Math.max(a, day), Math.min(b, day + DAY_MS)];
      if ((e - s) * 2 <= DAY_MS) raw(s, e, 1);
      else {
        raw(day, s, -1);
        raw(e, day + DAY_MS, -1);
        [first, last] = [Math.min(first, day), day];
      }
    }
    if (first <= last) out.segments.push({ grain: 1440, start: new Date(first), end: new Date(last + DAY_MS), label: p.label });
  }
  return out;
}

/**
 * Plans a report window in `tz`: where each local hour/day/week/month bucket in use begins, and
 * which rollup buckets (UTC quarter hours, hours, days) add up to each piece exactly.
 */
export function planBuckets(from: Date, to: Date, tz: string, grains: TimeGrain[]): BucketPlan {
  const [f, t] = [from.getTime(), to.getTime()];
  const zone = new ZoneTimeline(tz, f, Math.max(f, t));
  const cuts = new Set<number>();
  for (const grain of new Set(grains)) {
    for (let w = bucketStart(zone.toWall(f), grain); ; w = nextBucket(w, grain)) {
      const at = zone.toInstant(w);
      if (at >= t) break;
      if (at > f) cuts.add(at);
      if (cuts.size > MAX_PIECES) throw DomainException.field('from', `the window holds more than ${MAX_PIECES} ${grain} buckets; narrow from/to`);
    }
  }
  const points = [f, ...[...cuts].sort((x, y) => x - y), t];
  const plan: BucketPlan = { pieces: [], segments: [], rawEdges: [] };
  for (let i = 0; i + 1 < points.length; i++) {
    if (points[i] >= points[i + 1]) continue;
    const piece = { start: new Date(points[i]), end: new Date(points[i + 1]), label: wallLabel(zone.toWall(points[i])) };
    plan.pieces.push(piece);
    cover(piece, plan);
  }
  return plan;
}
