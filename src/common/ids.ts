import { randomFillSync } from 'node:crypto';

/**
 * Ids of clicks, conversions and log rows (SPEC §1): 12 hex digits of milliseconds since the
 * epoch, then 12 hex digits from a cryptographically secure source. Sorting ids sorts by time.
 * The time part never goes backwards within a process, even when the wall clock steps back.
 */
const POOL_BYTES = 6 * 1024;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let poolOffset = POOL_BYTES;
let lastMs = 0;

function randomHex12(): string {
  if (poolOffset + 6 > POOL_BYTES) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const hex = pool.toString('hex', poolOffset, poolOffset + 6);
  poolOffset += 6;
  return hex;
}

export function mintId(now: number = Date.now()): string {
  if (now > lastMs) lastMs = now;
  return lastMs.toString(16).padStart(12, '0') + randomHex12();
}

export const ID_PATTERN = /^[0-9a-f]{24}$/;

export function isId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

/** The creation time encoded in an id. */
export function idTime(id: string): Date {
  return new Date(parseInt(id.slice(0, 12), 16));
}

/** The smallest id that can be minted at or after `time`: for range scans on id-ordered tables. */
export function idFloor(time: Date): string {
  return Math.max(0, time.getTime()).toString(16).padStart(12, '0') + '000000000000';
}
