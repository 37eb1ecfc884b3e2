#!/usr/bin/env node
// npm run conformance: runs the contract's outside client when it is there. It is not part of
// this repository: by default it is looked for beside the project (../shared/conformance/run.mjs),
// or where CONFORMANCE_CLIENT points. Without it this says so in one line and exits 2.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const client = resolve(root, process.env.CONFORMANCE_CLIENT ?? '../shared/conformance/run.mjs');
if (!existsSync(client)) {
  console.error(`conformance: no client at ${client} (set CONFORMANCE_CLIENT to its run.mjs); nothing was checked`);
  process.exit(2);
}
const run = spawnSync(process.execPath, [client, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
