import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { entities } from './entities';
import { migrations } from '../../migrations';
import { EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres';

export interface DatabaseHandle {
  mode: 'server' | 'embedded';
  options: DataSourceOptions;
  /** Stops the embedded server (after TypeORM closed its pool); a no-op for a real server. */
  stop(): Promise<void>;
}

/**
 * The one place database options are built, for the app and for the migration CLI.
 * No DATABASE_URL: PGlite served in process on loopback. With it: that server.
 */
export async function openDatabase(
  config: Pick<AppConfig, 'databaseUrl' | 'dataDir' | 'dbPoolSize'>,
  seed?: { loadDataDir?: Blob; inMemory?: boolean },
): Promise<DatabaseHandle> {
  const common = {
    type: 'postgres' as const,
    entities,
    migrations,
    // Run by migrate() (migrations/migrate.ts): the versioned migrations, then the function files.
    migrationsRun: false,
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    logging: false,
    poolSize: config.dbPoolSize,
  };
  if (config.databaseUrl) {
    return {
      mode: 'server',
      options: { ...common, url: config.databaseUrl, connectTimeoutMS: 5_000, extra: { max: config.dbPoolSize } },
      stop: async () => {},
    };
  }
  const embedded: EmbeddedPostgres = await startEmbeddedPostgres({
    dataDir: seed?.inMemory ? null : config.dataDir,
    maxConnections: config.dbPoolSize + 4,
    loadDataDir: seed?.loadDataDir,
  });
  return {
    mode: 'embedded',
    options: {
      ...common,
      host: embedded.host,
      port: embedded.port,
      username: 'postgres',
      password: 'postgres',
      database: 'postgres',
      // PGlite runs one session: a query queued behind an open transaction on another
      // connection would wait forever. Timeouts turn that into an error (embedded-db.md §5).
      connectTimeoutMS: 10_000,
      extra: { max: config.dbPoolSize, query_timeout: 30_000 },
    },
    stop: () => embedded.stop(),
  };
}
