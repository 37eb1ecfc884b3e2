import { existsSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

export class SpoolFullError extends Error {
  constructor(
    readonly channel: string,
    maxBytes: number,
  ) {
    super(`the ${channel} spool is full (${maxBytes} bytes)`);
  }
}

interface Waiting {
  text: string;
  rows: number;
  resolve(): void;
  reject(e: unknown): void;
}

/**
 * An append-only file of JSON lines in `dir` (SPEC §4): rows kept on disk while the database
 * cannot be reached. Appends are grouped: while one write and fsync run, the next rows gather,
 * and each append resolves only once its rows are on disk. Draining renames the file aside
 * (`<name>.draining`, new rows go to a fresh file), hands its rows over in order, in batches,
 * records how far it got in `<name>.draining.offset` after each batch (a crash resumes there; a
 * batch repeated after a crash is made harmless by the rows' own keys), and deletes it at the end.
 */
export class SpoolFile<T> {
  private readonly live: string;
  private readonly draining: string;
  private readonly offsetFile: string;
  private handle: FileHandle | null = null;
  private queue: Waiting[] = [];
  private writing: Promise<void> | null = null;
  /** Writes and the rotation of the file take turns on this chain: a rotation never closes a file being written. */
  private turns: Promise<unknown> = Promise.resolve();
  private bytes: number;
  /** Rows on disk not yet handed over (live file and what is left of the draining one). */
  private waiting: number;

  constructor(
    dir: string,
    readonly name: string,
    private readonly maxBytes: number,
  ) {
    mkdirSync(dir, { recursive: true });
    this.live = join(dir, `${name}.ndjson`);
    this.draining = join(dir, `${name}.draining.ndjson`);
    this.offsetFile = `${this.draining}.offset`;
    this.bytes = sizeOf(this.live) + sizeOf(this.draining);
    this.waiting = lineCount(this.live) + Math.max(0, lineCount(this.draining) - this.drainedOffset());
  }

  /** Rows waiting to be handed over. */
  get rows(): number {
    return this.waiting;
  }

  get sizeBytes(): number {
    return this.bytes;
  }

  /** Resolves once every row is on disk (fsynced); SpoolFullError beyond the size bound, writing none. */
  append(rows: readonly T[]): Promise<void> {
    const text = rows.map((r) => JSON.stringify(r) + '\n').join('');
    const size = Buffer.byteLength(text);
    if (this.bytes + size > this.maxBytes) return Promise.reject(new SpoolFullError(this.name, this.maxBytes));
    this.bytes += size;
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ text, rows: rows.length, resolve, reject });
      if (!this.writing) this.writing = this.exclusive(() => this.flush());
    });
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.turns.then(work, work);
    this.turns = run.catch(() => undefined);
    return run;
  }

  private async flush(): Promise<void> {
    while (this.queue.length) {
      const group = this.queue;
      this.queue = [];
      try {
        this.handle ??= await open(this.live, 'a');
        await this.handle.write(group.map((w) => w.text).join(''));
        await this.handle.datasync();
        for (const w of group) {
          this.waiting += w.rows;
          w.resolve();
        }
      } catch (e) {
        for (const w of group) {
          this.bytes -= Buffer.byteLength(w.text);
          w.reject(e);
        }
      }
    }
    this.writing = null;
  }

  /**
   * Hands the rows over in order, `batchSize` at a time, to `handle`; stops (leaving the rest for
   * the next call) when it throws. Answers how many rows were handed over.
   */
  async drain(handle: (batch: T[]) => Promise<void>, batchSize: number): Promise<number> {
    let done = 0;
    for (;;) {
      if (!existsSync(this.draining)) {
        if (this.waiting === 0 && !this.queue.length && !this.writing) return done;
        // New rows go to a fresh file from now on; what was appended is drained. In turn with the
        // writes: rows being written land in the file before it moves, or in the next one.
        const rotated = await this.exclusive(async () => {
          await this.handle?.close();
          this.handle = null;
          if (!existsSync(this.live)) return false;
          renameSync(this.live, this.draining);
          writeFileSync(this.offsetFile, '0');
          return true;
        });
        if (!rotated) return done;
      }
      const lines = readFileSync(this.draining, 'utf8').split('\n');
      // A last line without its newline was cut by a crash before its fsync: never acknowledged.
      const complete = lines.slice(0, -1);
      let offset = this.drainedOffset();
      while (offset < complete.length) {
        const batch = complete.slice(offset, offset + batchSize).map((l) => JSON.parse(l) as T);
        await handle(batch);
        offset += batch.length;
        done += batch.length;
        this.waiting -= batch.length;
        writeFileSync(this.offsetFile, String(offset));
      }
      this.bytes -= sizeOf(this.draining);
      unlinkSync(this.draining);
      unlinkSync(this.offsetFile);
    }
  }

  async close(): Promise<void> {
    await this.writing;
    await this.exclusive(async () => {
      await this.handle?.close();
      this.handle = null;
    });
  }

  private drainedOffset(): number {
    if (!existsSync(this.offsetFile)) return 0;
    const n = Number(readFileSync(this.offsetFile, 'utf8').trim());
    return Number.isInteger(n) && n >= 0 ? n : 0;
  }
}

function sizeOf(path: string): number {
  return existsSync(path) ? statSync(path).size : 0;
}

function lineCount(path: string): number {
  if (!existsSync(path)) return 0;
  const text = readFileSync(path, 'utf8');
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
