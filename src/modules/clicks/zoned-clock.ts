import { offsetAt } from '../reports/zoned-time';

const QUARTER = 15 * 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/**
 * Local weekday, hour and date of an instant in one zone, for rules (`weekday`, `hour`) and caps
 * (`per: day`) on the click path. The zone's offset is asked of Intl once per UTC quarter hour and
 * reused: every offset in use is a whole number of quarter hours and changes only at a quarter
 * hour, so between two quarter hours the local time is the instant plus one offset.
 */
export class ZonedClock {
  private validFrom = 0;
  private validTo = -1;
  private offset = 0;

  constructor(readonly tz: string) {}

  /** Milliseconds since the epoch of the wall-clock time (as if it were UTC). */
  local(instant: number): number {
    if (instant < this.validFrom || instant >= this.validTo) {
      this.validFrom = Math.floor(instant / QUARTER) * QUARTER;
      this.validTo = this.validFrom + QUARTER;
      this.offset = this.tz === 'UTC' ? 0 : offsetAt(this.validFrom, this.tz);
    }
    return instant + this.offset;
  }

  /** 1 (Monday) .. 7 (Sunday). */
  weekday(instant: number): number {
    // 1970-01-01 was a Thursday (4).
    const days = Math.floor(this.local(instant) / DAY);
    return ((((days + 3) % 7) + 7) % 7) + 1;
  }

  /** 0 .. 23. */
  hour(instant: number): number {
    const local = this.local(instant);
    return Math.floor((((local % DAY) + DAY) % DAY) / HOUR);
  }

  /** `YYYY-MM-DD` of the local day. */
  day(instant: number): string {
    return new Date(Math.floor(this.local(instant) / DAY) * DAY).toISOString().slice(0, 10);
  }
}

const CLOCKS = new Map<string, ZonedClock>();

/** One shared clock per zone (the zone name is validated before it gets here). */
export function zonedClock(tz: string): ZonedClock {
  let c = CLOCKS.get(tz);
  if (!c) CLOCKS.set(tz, (c = new ZonedClock(tz)));
  return c;
}
