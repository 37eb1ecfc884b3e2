import { Injectable } from '@nestjs/common';
import { isId } from '../../../common/ids';
import { ClickContext, ClickContextRepository } from './click-context.repository';

interface Waiter {
  resolve(c: ClickContext | null): void;
  reject(err: unknown): void;
}

/** Past this many waiting lookups one query goes at once. */
const MAX_IDS = 500;

/**
 * Looks clicks up for the intake: the lookups asked for in one turn of the event loop go as one
 * query, and while a query runs the next lookups gather for the one after it (under load, calls
 * arrive together), so a busy server does not pay a round trip each. A quiet server's lookup goes
 * at once.
 */
@Injectable()
export class ClickContextLoader {
  private waiting = new Map<string, Waiter[]>();
  private scheduled = false;
  /** Lookup queries running (more than one only when a full set of ids went early). */
  private inFlight = 0;

  constructor(private readonly clicks: ClickContextRepository) {}

  /** Null for an unknown click; only tracker-minted ids can name a visit, so others skip the query. */
  find(clickId: string): Promise<ClickContext | null> {
    if (!isId(clickId)) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      const waiters = this.waiting.get(clickId);
      if (waiters) waiters.push({ resolve, reject });
      else this.waiting.set(clickId, [{ resolve, reject }]);
      if (this.waiting.size >= MAX_IDS) this.flush();
      else if (!this.scheduled && this.inFlight === 0) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const waiting = this.waiting;
    if (waiting.size === 0) return;
    this.waiting = new Map();
    this.inFlight++;
    this.clicks
      .findClicks([...waiting.keys()])
      .then(
        (found) => {
          for (const [id, waiters] of waiting) for (const w of waiters) w.resolve(found.get(id) ?? null);
        },
        (err: unknown) => {
          for (const waiters of waiting.values()) for (const w of waiters) w.reject(err);
        },
      )
      .finally(() => {
        // What gathered meanwhile goes now.
        if (--this.inFlight === 0 && this.waiting.size > 0 && !this.scheduled) this.flush();
      });
  }
}
