import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * pglite-socket serves every client connection on ONE PGlite session through a FIFO of wire
 * protocol messages, and keeps a connection's turn only inside an explicit transaction. But
 * node-postgres sends a parameterised query as several messages (Parse, Bind, Describe, Execute,
 * Sync), and another connection's messages slip in between under concurrency: "bind message
 * supplies 7 parameters, but prepared statement "" requires 1", or silently a Bind to another
 * query's statement. Its queue also stops for good after one failed message. This replaces the
 * queue's loop: a connection keeps its turn from the first message of a query to its end (Sync,
 * a simple Query), as well as inside a transaction; and a failure never stops the queue.
 */

interface QueueItem {
  handlerId: number;
  message: Uint8Array;
  resolve(bytes: number): void;
  reject(err: unknown): void;
  onData(data: Uint8Array): void;
}

interface QueryQueue {
  queue: QueueItem[];
  processing: boolean;
  lastHandlerId: number | null;
  db: {
    isInTransaction(): boolean;
    runExclusive<T>(fn: () => Promise<T>): Promise<T>;
    execProtocolRawStream(message: Uint8Array, opts: { onRawData(data: Uint8Array): void }): Promise<unknown>;
  };
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
}

/** Message types that leave an extended-protocol query unfinished: Parse, Bind, Describe, Execute, Close, Flush. */
const MID_QUERY = new Set([0x50, 0x42, 0x44, 0x45, 0x43, 0x48]);

export function keepQueryTurns(server: PGLiteSocketServer): void {
  const q = (server as unknown as { queryQueue?: QueryQueue }).queryQueue;
  if (!q || !Array.isArray(q.queue) || typeof q.db?.execProtocolRawStream !== 'function') {
    throw new Error('pglite-socket changed: its query queue is not where keepQueryTurns expects it');
  }
  let midQuery = false;

  q.processQueue = async function processQueue(this: QueryQueue): Promise<void> {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const owner = midQuery || this.db.isInTransaction() ? this.lastHandlerId : null;
        let item: QueueItem | undefined;
        if (owner === null) item = this.queue.shift();
        else {
          const i = this.queue.findIndex((x) => x.handlerId === owner);
          // The owner's next message has not arrived yet: its arrival restarts the loop.
          if (i < 0) break;
          item = this.queue.splice(i, 1)[0];
        }
        if (!item) break;
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
        } catch (err) {
          midQuery = false;
          this.lastHandlerId = item.handlerId;
          item.reject(err);
          continue;
        }
        midQuery = MID_QUERY.has(item.message[0]);
        this.lastHandlerId = item.handlerId;
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  };

  const clear = q.clearQueueForHandler.bind(q);
  q.clearQueueForHandler = (handlerId: number) => {
    clear(handlerId);
    // A connection that went away mid-query gives its turn back.
    if (q.lastHandlerId === handlerId && midQuery) {
      midQuery = false;
      void q.processQueue();
    }
  };
}
