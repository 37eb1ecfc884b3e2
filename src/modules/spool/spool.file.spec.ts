import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpoolFile, SpoolFullError } from './spool.file';

const dir = () => mkdtempSync(join(tmpdir(), 'spool-test-'));

describe('spool file', () => {
  it('keeps appended rows on disk and hands them over in order, in batches, once', async () => {
    const d = dir();
    try {
      const spool = new SpoolFile<{ n: number }>(d, 'clicks', 1 << 20);
      await Promise.all([spool.append([{ n: 1 }, { n: 2 }]), spool.append([{ n: 3 }]), spool.append([{ n: 4 }, { n: 5 }])]);
      assert.equal(spool.rows, 5);
      const seen: number[][] = [];
      assert.equal(await spool.drain(async (b) => void seen.push(b.map((r) => r.n)), 2), 5);
      assert.deepEqual(seen, [[1, 2], [3, 4], [5]]);
      assert.equal(spool.rows, 0);
      assert.equal(await spool.drain(async () => assert.fail('nothing is left'), 2), 0);
      await spool.close();
      assert.deepEqual(readdirSync(d), [], 'drained files are deleted');
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('stops at a failing batch and resumes there, also in a new process; rows appended meanwhile come after', async () => {
    const d = dir();
    try {
      const spool = new SpoolFile<{ n: number }>(d, 'pixels', 1 << 20);
      await spool.append([1, 2, 3, 4].map((n) => ({ n })));
      let calls = 0;
      const firstTurn: number[] = [];
      await assert.rejects(
        spool.drain(async (b) => {
          if (calls++ === 1) throw new Error('database down');
          firstTurn.push(...b.map((r) => r.n));
        }, 2),
        /database down/,
      );
      assert.deepEqual(firstTurn, [1, 2]);
      assert.equal(spool.rows, 2);
      await spool.append([{ n: 5 }]);
      await spool.close();

      // A restart finds what is left: the rest of the draining file, then the new rows.
      const again = new SpoolFile<{ n: number }>(d, 'pixels', 1 << 20);
      assert.equal(again.rows, 3);
      const rest: number[] = [];
      await again.drain(async (b) => void rest.push(...b.map((r) => r.n)), 10);
      assert.deepEqual(rest, [3, 4, 5]);
      await again.close();
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('refuses rows beyond its size, and ignores a last line cut by a crash', async () => {
    const d = dir();
    try {
      const spool = new SpoolFile<{ s: string }>(d, 'clicks', 100);
      await spool.append([{ s: 'x'.repeat(40) }]);
      await assert.rejects(spool.append([{ s: 'y'.repeat(60) }]), SpoolFullError);
      await spool.close();
      appendFileSync(join(d, 'clicks.ndjson'), '{"s": "cut');
      const again = new SpoolFile<{ s: string }>(d, 'clicks', 100);
      const got: string[] = [];
      await again.drain(async (b) => void got.push(...b.map((r) => r.s)), 10);
      assert.deepEqual(got, ['x'.repeat(40)]);
      await again.close();
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('loses nothing when rows are appended while drains move the file and fail, round after round', async () => {
    const d = dir();
    try {
      const spool = new SpoolFile<{ n: number }>(d, 'clicks', 1 << 24);
      const appends: Promise<void>[] = [];
      let n = 0;
      let stop = false;
      // Clicks keep coming, one per turn of the event loop, while drains move the file and fail.
      const appender = (async () => {
        while (!stop && n < 3000) {
          appends.push(spool.append([{ n: n++ }]));
          await new Promise((r) => setImmediate(r));
        }
      })();
      for (let round = 0; round < 60; round++) {
        await spool
          .drain(async () => {
            throw new Error('down');
          }, 3)
          .catch(() => undefined);
        await new Promise((r) => setImmediate(r));
      }
      stop = true;
      await appender;
      await Promise.all(appends);
      const seen: number[] = [];
      await spool.drain(async (b) => void seen.push(...b.map((r) => r.n)), 1000);
      assert.deepEqual(
        seen,
        Array.from({ length: n }, (_, i) => i),
        'every acknowledged row, once, in order',
      );
      await spool.close();
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});
