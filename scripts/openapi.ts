import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from '../src/app.factory';
import { buildOpenApiDocument } from '../src/app.openapi';
import { loadConfig } from '../src/config/app-config';

/**
 * `npm run openapi`: writes the API's OpenAPI document to docs/openapi.json (or the path given),
 * from the app itself on a throw-away in-memory database, without listening. The dashboard's API
 * types are generated from that file; a test checks it matches what the app serves.
 */
async function main(): Promise<void> {
  const out = process.argv[2] ?? join(__dirname, '..', '..', 'docs', 'openapi.json');
  const config = loadConfig({ LOG_LEVEL: 'silent', OUTBOX_ENABLED: 'false' });
  const { app } = await createApp(config, { inMemory: true });
  try {
    writeFileSync(out, JSON.stringify(buildOpenApiDocument(app), null, 2) + '\n');
    process.stdout.write(`wrote ${out}\n`);
  } finally {
    await app.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`openapi: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
