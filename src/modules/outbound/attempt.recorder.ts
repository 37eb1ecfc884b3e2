import type { AttemptRecord } from './outbox.repository';

/**
 * Group commit for the delivery log: the first result is written at once, and the results that
 * arrive while a write is in progress go together in the next one. Under a burst the database
 * sees one statement per batch instead of one per message; when idle nothing waits.
 */
export class AttemptRecorder {
  private readonly queue: Array<{ record: AttemptRecord; done: (error?: unknown) => void }> = [];
  private flushing = false;

  constructor(
    private readonly write: (batch: AttemptRecord[]) => Promise<void>,
    private readonly maxBatch: number,
  ) {}

  /** Resolves once the attempt is written (rejects if its batch could not be). */
  record(record: AttemptRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ record, done: (error) => (error === undefined ? resolve() : reject(error)) });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        await this.write(batch.map((b) => b.record));
        for (const b of batch) b.done();
      } catch (error) {
        for (const b of batch) b.done(error ?? new Error('write failed'));
      }
    }
    this.flushing = false;
  }
}
