import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createApp, CreatedApp } from '../../src/app.factory';
import { loadConfig } from '../../src/config/app-config';
import { generateApiKey } from '../../src/modules/api-keys/api-key.hash';

export interface DemoServer {
  url: string;
  /** The key the demo itself uses (ADMIN_API_KEY, given or generated). */
  adminKey: string;
  /** Whether the data outlives the demo (DATA_DIR or DATABASE_URL), so a stored key is worth making. */
  kept: boolean;
  /** Where the data lives, in words. */
  database: string;
  stop(): Promise<void>;
}

/**
 * The whole tracker in this process on a loopback port: DATABASE_URL when set, else the
 * embedded database in DATA_DIR, else in a fresh temporary folder removed at exit.
 * TRUST_PROXY is loopback so the X-Forwarded-For the demo sends places its visitors.
 */
export async function startDemoServer(env: NodeJS.ProcessEnv): Promise<DemoServer> {
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  const dataDir = env.DATA_DIR?.trim() || null;
  const tempDir = databaseUrl || dataDir ? null : mkdtempSync(join(tmpdir(), 'tracker-demo-'));
  let app: CreatedApp['app'] | null = null;
  let stopping: Promise<void> | null = null;
  const removeTemp = () => {
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  };
  const stop = () =>
    (stopping ??= (async () => {
      try {
        await app?.close();
      } finally {
        removeTemp();
        process.removeListener('exit', removeTemp);
        for (const signal of SIGNALS) process.removeListener(signal, onSignal);
      }
    })());
  // Nest's own shutdown hooks close the app on Ctrl-C and then raise the signal again, which
  // would kill the process before the temporary folder is removed: while this listener stays,
  // the second signal lands here instead, and the process ends once everything is cleaned up.
  const onSignal = () => {
    if (!stopping) void stop().finally(() => process.exit(130));
  };
  process.once('exit', removeTemp);
  for (const signal of SIGNALS) process.on(signal, onSignal);

  const adminKey = env.ADMIN_API_KEY?.trim() || generateApiKey();
  try {
    const config = loadConfig({
      ...env,
      PORT: '0',
      HOST: '127.0.0.1',
      TRUST_PROXY: 'loopback',
      ADMIN_API_KEY: adminKey,
      LOG_LEVEL: env.LOG_LEVEL?.trim() || 'warn',
      ...(tempDir ? { DATA_DIR: tempDir } : {}),
    });
    const created = await createApp(config);
    app = created.app;
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.getHttpServer().address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    // Tracking URLs name the real port unless BASE_URL says where the tracker is published.
    if (!env.BASE_URL?.trim()) config.baseUrl = url;
    const database =
      created.db.mode === 'server'
        ? 'the PostgreSQL server in DATABASE_URL (the demo data stays there)'
        : tempDir
          ? `embedded PostgreSQL in a fresh temporary folder, ${tempDir} (removed at the end; set DATA_DIR to keep the data)`
          : `embedded PostgreSQL in ${resolve(dataDir!)} (kept)`;
    return { url, adminKey, kept: tempDir === null, database, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
