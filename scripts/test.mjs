#!/usr/bin/env node
// Runs every compiled test (`npm test` compiles first): unit specs next to the code
// (dist/src/**/*.spec.js) and e2e/integration tests (dist/test/**/*.e2e-spec.js).
// Before the files run it prepares one migrated database template (PGlite dump, or a template
// database on DATABASE_URL's server) that each test file copies; it drops what it made.
//   npm test                         every test
//   npm test -- clicks               only files whose path contains "clicks"
//   npm test -- web                  only the dashboard's component tests (Vitest, web/)
//   node scripts/test.mjs --browser  the dashboard's browser tests (dist/test/**/*.browser-spec.js; npm run test:browser)
// With no filter, or a filter naming "web", the dashboard's component tests run too.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const browser = process.argv.includes('--browser');

function walk(dir, out = []) {
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const n of names) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) walk(p, out);
    else if ((browser ? /\.browser-spec\.js$/ : /\.(spec|e2e-spec)\.js$/).test(n)) out.push(p);
  }
  return out;
}

const runWeb = !browser && (!filters.length || filters.some((x) => x === 'web'));
let webStatus = 0;
if (runWeb) {
  const web = spawnSync('npm', ['test', '-w', 'web', '--silent'], { cwd: root, stdio: 'inherit' });
  webStatus = web.status ?? 1;
  if (filters.length && filters.every((x) => x === 'web')) process.exit(webStatus);
}

const files = [...walk(join(root, 'dist/src')), ...walk(join(root, 'dist/test'))].filter((f) => !filters.length || filters.some((x) => f.includes(x))).sort();
if (!files.length) {
  console.error('no test files found (did `tsc` run?)');
  process.exit(1);
}

const setup = spawnSync(process.execPath, [join(root, 'dist/test/support/global-setup.js'), 'setup'], { stdio: ['ignore', 'pipe', 'inherit'] });
if (setup.status !== 0) process.exit(setup.status ?? 1);
const env = { ...process.env, ...JSON.parse(setup.stdout.toString() || '{}') };

const concurrency = browser ? '1' : (process.env.TEST_CONCURRENCY ?? (process.env.DATABASE_URL ? '2' : '2'));
const run = spawnSync(process.execPath, ['--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files], {
  stdio: 'inherit',
  env,
});
spawnSync(process.execPath, [join(root, 'dist/test/support/global-setup.js'), 'teardown'], { stdio: 'inherit', env });
process.exit(run.status || webStatus);
