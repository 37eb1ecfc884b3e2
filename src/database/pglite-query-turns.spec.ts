import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { keepQueryTurns } from './pglite-query-turns';

/** A stand-in for pglite-socket's queue: records the order messages reach the session. */
function fakeServer(failOn = '') {
  const executed: string[] = [];
  const queue = {
    queue: [] as { handlerId: number; message: Uint8Array; resolve(n: number): void; reject(e: unknown): void; onData(d: Uint8Array): void }[],
    processing: false,
    lastHandlerId: null as number | null,
    db: {
      isInTransaction: () => false,
      runExclusive: <T>(fn: () => Promise<T>) => fn(),
      execProtocolRawStream: async (m: Uint8Array) => {
        const label = Buffer.from(m.subarray(1)).toString();
        if (label === failOn) throw new Error('boom');
        executed.push(label);
      },
    },
    processQueue: async () => {},
    clearQueueForHandler(id: number) {
      this.queue = this.queue.filter((x) => x.handlerId !== id);
    },
    enqueue(handlerId: number, type: string, label: string): Promise<number> {
      return new Promise((resolve, reject) => {
        this.queue.push({ handlerId, message: new Uint8Array([type.charCodeAt(0), ...Buffer.from(label)]), resolve, reject, onData: () => {} });
        if (!this.processing) void this.processQueue();
      });
    },
  };
  return { server: { queryQueue: queue } as unknown as PGLiteSocketServer, queue, executed };
}

/** One connection sending a query as pglite-socket's handler does: one message at a time. */
async function send(queue: ReturnType<typeof fakeServer>['queue'], id: number, parts: [string, string][]) {
  for (const [type, label] of parts) await queue.enqueue(id, type, label).catch(() => 0);
}

const query = (n: string): [string, string][] => [
  ['P', `${n}.parse`],
  ['B', `${n}.bind`],
  ['E', `${n}.execute`],
  ['S', `${n}.sync`],
];

describe('keepQueryTurns', () => {
  it('never interleaves two connections inside one extended-protocol query', async () => {
    const { server, queue, executed } = fakeServer();
    keepQueryTurns(server);
    await Promise.all([send(queue, 1, query('a')), send(queue, 2, query('b')), send(queue, 3, query('c'))]);
    assert.equal(executed.length, 12);
    for (let i = 0; i < 12; i += 4) {
      const name = executed[i].split('.')[0];
      assert.deepEqual(
        executed.slice(i, i + 4),
        query(name).map(([, l]) => l),
      );
    }
  });

  it('keeps going after a failed message', async () => {
    const { server, queue, executed } = fakeServer('a.bind');
    keepQueryTurns(server);
    await Promise.all([send(queue, 1, query('a')), send(queue, 2, query('b'))]);
    assert.ok(executed.includes('b.sync'));
    assert.equal(queue.processing, false);
  });
});
