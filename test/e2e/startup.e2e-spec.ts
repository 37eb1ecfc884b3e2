import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirLockedError, startEmbeddedPostgres } from '../../src/database/embedded-postgres';

const main = join(__dirname, '../../src/main.js');

describe('start-up', () => {
  it('exits non-zero with one line naming a bad variable', () => {
    const r = spawnSync(process.execPath, [main], { env: { ...process.env, PORT: 'nope', DATABASE_URL: '' }, encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.equal(r.stderr.trim(), "tracker: PORT: expected a whole number, got 'nope'");
  });

  it('refuses a second process on the same DATA_DIR, and takes over a stale lock', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracker-lock-'));
    try {
      const first = await startEmbeddedPostgres({ dataDir: join(dir, 'nested', 'data'), maxConnections: 2 });
      try {
        await assert.rejects(startEmbeddedPostgres({ dataDir: join(dir, 'nested', 'data'), maxConnections: 2 }), DataDirLockedError);
      } finally {
        await first.stop();
      }
      // another live process holding the lock: the same refusal, with its pid in the message
      const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)']);
      const { writeFileSync } = await import('node:fs');
      writeFileSync(join(dir, 'nested', 'data', 'tracker.pid'), String(other.pid));
      await assert.rejects(startEmbeddedPostgres({ dataDir: join(dir, 'nested', 'data'), maxConnections: 2 }), new RegExp(`in use by process ${other.pid}`));
      other.kill();
      await new Promise((r) => other.once('exit', r));
      // the holder is gone: its lock is stale and is taken over
      const again = await startEmbeddedPostgres({ dataDir: join(dir, 'nested', 'data'), maxConnections: 2 });
      await again.stop();
      assert.equal(existsSync(join(dir, 'nested', 'data', 'tracker.pid')), false, 'the lock is released on stop');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it(
    'starts on an empty DATA_DIR, prints the URL and an admin key once, stops on SIGTERM',
    { skip: !!process.env.DATABASE_URL && 'embedded only' },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tracker-start-'));
      const run = async () => {
        const child = spawn(process.execPath, [main], {
          env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, ADMIN_API_KEY: '', DATABASE_URL: '' },
        });
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        const deadline = Date.now() + 60_000;
        while (!/Tracker listening on (\S+)/.test(out) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
        const url = /Tracker listening on (\S+)/.exec(out)?.[1];
        assert.ok(url, `no listening line in: ${out}`);
        const health = await fetch(`${url}/health`);
        assert.equal(health.status, 200);
        child.kill('SIGTERM');
        const code = await new Promise((r) => child.once('exit', (c, s) => r(c ?? s)));
        return { out, code };
      };
      try {
        const first = await run();
        assert.match(first.out, /Admin API key \(shown once, keep it\): tk_\S{20,}/);
        assert.ok([0, 'SIGTERM'].includes(first.code as never), `exit ${String(first.code)}`);
        assert.equal(existsSync(join(dir, 'tracker.pid')), false, 'no lock left after SIGTERM');
        const second = await run();
        assert.doesNotMatch(second.out, /Admin API key/, 'the key is printed on first start only');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
