import 'reflect-metadata';
import { createApp } from './app.factory';
import { ConfigError, loadConfig } from './config/app-config';
import { DataDirLockedError } from './database/embedded-postgres';
import { ApiKeysService } from './modules/api-keys/api-keys.service';

async function main(): Promise<void> {
  const started = Date.now();
  const config = loadConfig();
  const { app, db, logger } = await createApp(config);
  await app.listen({ port: config.port, host: config.host });
  const adminKey = await app.get(ApiKeysService).bootstrapAdminKey();
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ port, database: db.mode, startMs: Date.now() - started, rssMb: Math.round(process.memoryUsage().rss / 1048576) }, 'tracker listening');
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
  process.stdout.write(`\nTracker listening on ${url} (${db.mode === 'embedded' ? `embedded PostgreSQL in ${config.dataDir}` : 'PostgreSQL server'})\n`);
  process.stdout.write(`API docs: ${url}/api/docs\n`);
  if (adminKey) process.stdout.write(`Admin API key (shown once, keep it): ${adminKey}\n\n`);

  // SPEC §9: on SIGTERM stop accepting, answer every request already received (Fastify adds
  // `Connection: close`), then flush the click writer and the outbox, close the database and exit
  // 0, all within 15 s.
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const began = Date.now();
    logger.info({ signal }, 'stopping');
    setTimeout(() => {
      logger.error({ signal, ms: Date.now() - began }, 'did not stop within 15 s: exiting anyway');
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS).unref();
    try {
      const fastify = app.getHttpAdapter().getInstance();
      const closing = fastify.close();
      // Keep-alive connections with no request in flight are closed once each has had a moment
      // to send what it had started; the ones answering get `Connection: close` from Fastify.
      const sweep = setInterval(() => fastify.server.closeIdleConnections(), IDLE_GRACE_MS);
      await closing;
      clearInterval(sweep);
      await app.close();
      logger.info({ signal, ms: Date.now() - began }, 'stopped');
      process.exit(0);
    } catch (e) {
      logger.error({ signal, err: e instanceof Error ? e.message : String(e) }, 'stopping failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', (s) => void stop(s));
  process.once('SIGINT', (s) => void stop(s));
}

const SHUTDOWN_LIMIT_MS = 15_000;
const IDLE_GRACE_MS = 1_000;

main().catch((e: unknown) => {
  if (e instanceof ConfigError || e instanceof DataDirLockedError) {
    process.stderr.write(`tracker: ${e.message}\n`);
  } else {
    process.stderr.write(`tracker: failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  }
  process.exit(1);
});
