#!/usr/bin/env node
// `npm start` builds first when dist/ is missing or older than any source file.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const target = join(root, 'dist/src/main.js');

function newest(dir) {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    t = Math.max(t, s.isDirectory() ? newest(p) : s.mtimeMs);
  }
  return t;
}

if (!existsSync(target) || Math.max(newest(join(root, 'src')), newest(join(root, 'migrations'))) > statSync(target).mtimeMs) {
  console.error('building...');
  execSync(`${JSON.stringify(process.execPath)} scripts/build.mjs`, { cwd: root, stdio: 'inherit' });
}
