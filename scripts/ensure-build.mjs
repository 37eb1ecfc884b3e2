#!/usr/bin/env node
// `npm start` builds first when dist/ is missing or older than any source file, and builds the
// dashboard (web/ → web/dist) when it is missing or older than its sources.
//   node scripts/ensure-build.mjs          server and dashboard
//   node scripts/ensure-build.mjs --web    the dashboard only
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const webOnly = process.argv.includes('--web');

function newest(path) {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let t = 0;
  for (const name of readdirSync(path)) t = Math.max(t, newest(join(path, name)));
  return t;
}

const target = join(root, 'dist/src/main.js');
if (!webOnly && (!existsSync(target) || Math.max(newest(join(root, 'src')), newest(join(root, 'migrations'))) > statSync(target).mtimeMs)) {
  console.error('building...');
  execSync(`${JSON.stringify(process.execPath)} scripts/build.mjs`, { cwd: root, stdio: 'inherit' });
}

const web = join(root, 'web');
const page = join(web, 'dist/index.html');
const sources = ['src', 'index.html', 'vite.config.ts', 'package.json'].map((p) => newest(join(web, p)));
if (existsSync(join(web, 'package.json')) && (!existsSync(page) || Math.max(...sources) > statSync(page).mtimeMs)) {
  console.error('building the dashboard...');
  execSync('npm run build -w web', { cwd: root, stdio: 'inherit' });
}
