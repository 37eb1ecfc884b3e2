import * as fs from 'node:fs';
import * as path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { keepQueryTurns } from './pglite-query-turns';

export interface EmbeddedPostgres {
  host: string;
  port: number;
  stop(): Promise<void>;
}

export class DataDirLockedError extends Error {}

/**
 * PGlite does not lock its data folder, and two processes on one folder silently lose writes
 * (research/embedded-db.md §7): a pid file refuses the second one. A stale file left by a
 * crashed process is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  const lock = path.join(dataDir, 'tracker.pid');
  for (;;) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(fs.readFileSync(lock, 'utf8'));
      // This very process counts as a holder too: a second open here would lose writes as well.
      let alive: boolean;
      try {
        process.kill(pid, 0);
        alive = true;
      } catch {
        alive = false;
      }
      if (alive && pid > 0) throw new DataDirLockedError(`DATA_DIR ${path.resolve(dataDir)} is in use by process ${pid}; stop it or choose another DATA_DIR`);
      fs.rmSync(lock, { force: true });
    }
  }
  const release = () => {
    try {
      if (fs.readFileSync(lock, 'utf8') === String(process.pid)) fs.rmSync(lock);
    } catch {
      // already gone
    }
  };
  process.once('exit', release);
  return release;
}

/**
 * Starts PGlite in this process and serves the PostgreSQL wire protocol on a loopback port, so
 * TypeORM's ordinary `postgres` driver talks to it exactly as to a server.
 * `dataDir` null keeps everything in memory (tests); `loadDataDir` seeds from a dump.
 */
export async function startEmbeddedPostgres(opts: { dataDir: string | null; maxConnections: number; loadDataDir?: Blob }): Promise<EmbeddedPostgres> {
  let release = () => {};
  let pgdata: string | undefined;
  if (opts.dataDir) {
    fs.mkdirSync(opts.dataDir, { recursive: true });
    release = lockDataDir(opts.dataDir);
    pgdata = path.join(opts.dataDir, 'pgdata');
  }
  try {
    const db = await PGlite.create({ dataDir: pgdata, loadDataDir: opts.loadDataDir });
    // pglite-socket's default is ONE connection: a pool of more would see ECONNRESET.
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: opts.maxConnections });
    keepQueryTurns(server);
    await server.start();
    const port = Number(server.getServerConn().split(':').pop());
    return {
      host: '127.0.0.1',
      port,
      async stop() {
        await server.stop();
        await db.close();
        release();
      },
    };
  } catch (e) {
    release();
    throw e;
  }
}
