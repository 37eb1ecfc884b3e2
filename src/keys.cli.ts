import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { migrate } from '../migrations/migrate';
import { parsePageRequest } from './common/paging';
import { ConfigError, loadConfig } from './config/app-config';
import { openDatabase } from './database/data-source-options';
import { DataDirLockedError } from './database/embedded-postgres';
import { DomainException } from './common/domain.exception';
import { ApiKeyEntity, type ApiKeyScope } from './modules/api-keys/api-key.entity';
import { ApiKeysService } from './modules/api-keys/api-keys.service';

const USAGE = `usage: npm run keys -- <command>
  create --name <name> [--scope admin|read]   make a key; prints it once
  list [--all]                                the keys (--all: revoked ones too)
  revoke <id>                                 revoke a key (kept for the record)
Uses DATABASE_URL, or the embedded database in DATA_DIR (stop the tracker first: one process at a time).`;

class UsageError extends Error {}

/**
 * `npm run keys`: API keys from the command line, so a lost admin key is recoverable by whoever
 * can reach the database. The same service and rules as the API (`/api/v1/api-keys`).
 */
async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { name: { type: 'string' }, scope: { type: 'string', default: 'admin' }, all: { type: 'boolean', default: false } },
  });
  const [command, id] = positionals;
  if (!['create', 'list', 'revoke'].includes(command ?? '')) throw new UsageError(USAGE);
  if (command === 'create' && (!values.name || !values.name.trim())) throw new UsageError('create needs --name <name>');
  if (command === 'create' && values.scope !== 'admin' && values.scope !== 'read') throw new UsageError(`--scope must be admin or read, got '${values.scope}'`);
  if (command === 'revoke' && !id) throw new UsageError('revoke needs the id of the key (see `npm run keys -- list`)');

  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const handle = await openDatabase({ ...config, dbPoolSize: 1 });
  const ds = new DataSource({ ...handle.options, poolSize: 1 } as never);
  try {
    await ds.initialize();
    await migrate(ds);
    const keys = new ApiKeysService(ds.getRepository(ApiKeyEntity), config);
    if (command === 'create') {
      const made = await keys.create({ name: values.name!.trim(), scope: values.scope as ApiKeyScope });
      process.stdout.write(`created ${made.scope} key ${made.id} (${made.name})\n${made.key}\n`);
    } else if (command === 'list') {
      const rows = [];
      let cursor: string | undefined;
      do {
        const page = await keys.list(parsePageRequest({ limit: '1000', cursor }), values.all!);
        rows.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      const lines = rows.map((k) =>
        [k.id, k.scope, k.keyPrefix + '…', k.createdAt, k.lastUsedAt ?? '-', k.archivedAt ? `revoked ${k.archivedAt}` : 'active', k.name].join('  '),
      );
      process.stdout.write(lines.length ? lines.join('\n') + '\n' : 'no keys\n');
    } else {
      await keys.revoke(id!);
      process.stdout.write(`revoked ${id}\n`);
    }
  } finally {
    if (ds.isInitialized) await ds.destroy();
    await handle.stop();
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  const known = e instanceof UsageError || e instanceof ConfigError || e instanceof DataDirLockedError || e instanceof DomainException;
  const message = e instanceof Error ? e.message : String(e);
  process.stderr.write(`keys: ${known ? message : ((e as Error)?.stack ?? message)}\n`);
  process.exit(known ? 2 : 1);
});
