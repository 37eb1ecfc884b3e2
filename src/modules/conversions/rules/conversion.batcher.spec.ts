import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AppConfig } from '../../../config/app-config';
import { ConversionBatcher } from './conversion.batcher';
import type { ConversionService, RecordRequest } from './conversion.service';
import { recorded, type IntakeOutcome } from '../intake/intake.outcome';
import { PartlyRecorded } from './partly-recorded.error';

/** A stand-in service: each call's "request" is a label; records which transactions ran. */
function fakeService(opts: { failBatches?: boolean; failLabel?: string; committedFirst?: string[] } = {}) {
  const transactions: string[][] = [];
  const gates: (() => void)[] = [];
  const label = (r: RecordRequest) => r as unknown as string;
  const service = {
    async recordAll(rs: RecordRequest[]): Promise<IntakeOutcome[]> {
      transactions.push(rs.map(label));
      await new Promise<void>((resolve) => gates.push(resolve));
      if (opts.committedFirst) {
        throw new PartlyRecorded(
          rs.map((r) => (opts.committedFirst!.includes(label(r)) ? recorded('accepted', `${label(r)} first`) : undefined)),
          new Error('repeats failed'),
        );
      }
      if (opts.failBatches) throw new Error('batch failed');
      return rs.map((r) => recorded('accepted', label(r)));
    },
    async record(r: RecordRequest): Promise<IntakeOutcome> {
      transactions.push([label(r)]);
      await new Promise<void>((resolve) => gates.push(resolve));
      if (label(r) === opts.failLabel) throw new Error(`${label(r)} failed`);
      return recorded('accepted', label(r));
    },
  };
  const release = () => gates.splice(0).forEach((g) => g());
  return { service: service as unknown as ConversionService, transactions, release };
}

const config = (dbPoolSize: number) => ({ dbPoolSize }) as AppConfig;
const call = (s: string) => s as unknown as RecordRequest;
const tick = () => new Promise((r) => setImmediate(r));

describe('ConversionBatcher', () => {
  it('runs calls at once while lanes are free, and gathers the rest into one transaction', async () => {
    const f = fakeService();
    const batcher = new ConversionBatcher(f.service, config(3)); // one lane
    const first = batcher.record(call('a'));
    await tick();
    const rest = ['b', 'c', 'd'].map((s) => batcher.record(call(s)));
    await tick();
    assert.deepEqual(f.transactions, [['a']]);
    f.release();
    await first;
    await tick();
    assert.deepEqual(f.transactions, [['a'], ['b', 'c', 'd']]);
    f.release();
    assert.deepEqual(
      (await Promise.all(rest)).map((o) => (o.kind === 'recorded' ? o.conversionId : null)),
      ['b', 'c', 'd'],
    );
  });

  it('starts a second transaction beside a running one only when a full batch waits', async () => {
    const f = fakeService();
    const batcher = new ConversionBatcher(f.service, config(10)); // up to four lanes
    const first = batcher.record(call('a'));
    await tick();
    const few = ['b', 'c', 'd'].map((s) => batcher.record(call(s)));
    await tick();
    // Lanes are free, but three calls go better together after 'a' than each in a transaction of its own.
    assert.deepEqual(f.transactions, [['a']]);
    const many = Array.from({ length: 61 }, (_, i) => batcher.record(call(`m${i}`)));
    await tick();
    // 64 waiting: a stalled or slow 'a' must not hold them all.
    assert.equal(f.transactions.length, 2);
    assert.deepEqual(f.transactions[1], ['b', 'c', 'd', ...Array.from({ length: 61 }, (_, i) => `m${i}`)]);
    const late = batcher.record(call('z'));
    await tick();
    assert.equal(f.transactions.length, 2);
    f.release();
    await Promise.all([first, ...few, ...many]);
    await tick();
    assert.deepEqual(f.transactions[2], ['z']);
    f.release();
    assert.deepEqual(await late, recorded('accepted', 'z'));
  });

  it('runs each call of a failed transaction alone; a failing call fails alone', async () => {
    const f = fakeService({ failBatches: true, failLabel: 'c' });
    const batcher = new ConversionBatcher(f.service, config(3));
    const all = Promise.all(
      ['a', 'b', 'c', 'd'].map((s) =>
        batcher.record(call(s)).then(
          (o) => (o.kind === 'recorded' ? o.conversionId : 'x'),
          (e: Error) => e.message,
        ),
      ),
    );
    for (let i = 0; i < 10; i++) {
      await tick();
      f.release();
    }
    assert.deepEqual(await all, ['a', 'b', 'c failed', 'd']);
    assert.deepEqual(f.transactions, [['a'], ['b', 'c', 'd'], ['b'], ['c'], ['d']]);
  });

  it('keeps the answers of calls committed before the rest of their batch failed, and runs only the rest again', async () => {
    const f = fakeService({ committedFirst: ['b', 'd'] });
    const batcher = new ConversionBatcher(f.service, config(3));
    const all = Promise.all(['a', 'b', 'c', 'd'].map((s) => batcher.record(call(s)).then((o) => (o.kind === 'recorded' ? o.conversionId : 'x'))));
    for (let i = 0; i < 10; i++) {
      await tick();
      f.release();
    }
    assert.deepEqual(await all, ['a', 'b first', 'c', 'd first']);
    assert.deepEqual(f.transactions, [['a'], ['b', 'c', 'd'], ['c']]);
  });
});
