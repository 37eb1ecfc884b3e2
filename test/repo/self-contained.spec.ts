import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
/** The two files allowed to know the conformance client lives beside the project. */
const ALLOWED = new Set(['.ci/run', 'scripts/conformance.mjs', 'test/repo/self-contained.spec.ts']);

describe('the repository is self-contained (issue 10)', () => {
  it('no tracked file refers to ../shared, except CI and the optional conformance runner', () => {
    const files = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
    assert.ok(files.length > 100, `git ls-files listed ${files.length} files`);
    const offenders = files.filter(
      (f) =>
        !ALLOWED.has(f) &&
        !/\.(png|jpg|gz|mmdb|dat)$/.test(f) &&
        /\.\.\/shared|shared\/(SPEC|STYLE|conformance|research)/.test(readFileSync(join(root, f), 'latin1')),
    );
    assert.deepEqual(offenders, []);
  });
  it('the README links the API contract in the repository', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    assert.match(readme, /\(docs\/api\.md\)/);
    assert.match(readFileSync(join(root, 'docs', 'api.md'), 'utf8'), /GET \/reports\?groupBy=/);
  });
});
