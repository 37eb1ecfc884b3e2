import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ConfigError, loadConfig } from '../config/app-config';
import { migrate } from '../../migrations/migrate';
import { openDatabase } from './data-source-options';

/**
 * `npm run migration:run`: applies pending migrations with the app's own options (embedded
 * database in DATA_DIR, or DATABASE_URL).
 * `npm run migration:generate -- <name>`: writes an empty migration to fill in with plain
 * PostgreSQL 15 SQL (the schema is not derived from entities, so nothing is generated from them).
 */
async function run(): Promise<void> {
  const config = loadConfig();
  const handle = await openDatabase(config);
  const ds = new DataSource({ ...handle.options, migrationsRun: false } as never);
  await ds.initialize();
  try {
    const applied = await migrate(ds);
    const lines = [...applied.migrations.map((m) => `applied ${m}\n`), ...applied.functions.map((f) => `applied migrations/functions/${f}.sql\n`)];
    process.stdout.write(lines.length ? lines.join('') : 'no pending migrations\n');
  } finally {
    await ds.destroy();
    await handle.stop();
  }
}

function generate(name: string | undefined): void {
  if (!name || !/^[a-z][a-z0-9-]*$/.test(name)) throw new Error('usage: npm run migration:generate -- <kebab-case-name>');
  const ts = Date.now();
  const className = name.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase()) + ts;
  const file = join(__dirname, '../../../migrations', `${ts}-${name}.ts`);
  writeFileSync(
    file,
    `import { MigrationInterface, QueryRunner } from 'typeorm';\n\nexport class ${className} implements MigrationInterface {\n  name = '${className}';\n\n  async up(q: QueryRunner): Promise<void> {\n    await q.query(\`\`);\n  }\n\n  async down(q: QueryRunner): Promise<void> {\n    await q.query(\`\`);\n  }\n}\n`,
  );
  process.stdout.write(`wrote ${file}\nadd ${className} to migrations/index.ts\n`);
}

const [command, arg] = process.argv.slice(2);
(command === 'generate' ? Promise.resolve(generate(arg)) : run()).catch((e: unknown) => {
  process.stderr.write(`migration: ${e instanceof ConfigError || e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
