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
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError || e instanceof DataDirLockedError) {
    process.stderr.write(`tracker: ${e.message}\n`);
  } else {
    process.stderr.write(`tracker: failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  }
  process.exit(1);
});
