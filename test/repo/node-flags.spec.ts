import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_FLAGS } from '../../src/node-flags';

const root = join(__dirname, '..', '..', '..');

describe('the V8 flags the tracker runs with (src/node-flags.ts)', () => {
  it('npm start passes exactly NODE_FLAGS, so the bench measures the tracker as it is started', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    assert.equal(pkg.scripts.start, `node ${NODE_FLAGS.join(' ')} dist/src/main.js`);
  });
});
