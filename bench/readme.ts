import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { updateReadme, type RunReport } from './lib/results';

/**
 * `node dist/bench/readme.js <bench/results/<date>.json>`: writes the README's figures again from
 * a run already made (after a change to how they are shown), without running the bench.
 */
const file = process.argv[2];
if (!file) {
  console.error('usage: node dist/bench/readme.js bench/results/<date>.json');
  process.exit(2);
}
const run = JSON.parse(readFileSync(file, 'utf8')) as RunReport;
if (!updateReadme(join(process.cwd(), file.replace(/\.json$/, '.md')), run.results)) {
  console.error('README.md has no bench markers');
  process.exit(1);
}
console.log('README.md: the performance table shows the run of', file);
