import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DASHBOARD_CSP } from '../../src/modules/dashboard/dashboard.controller';
import { DashboardFiles } from '../../src/modules/dashboard/dashboard.files';
import { startTestApp, TestApp } from '../support/test-app';

describe('dashboard (SPEC §10)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('answers / with the CSP that forbids inline script and third parties (built: the page; not built: a plain 503)', async () => {
    const r = await t.http().get('/');
    assert.ok(r.status === 200 || r.status === 503, `status ${r.status}`);
    assert.equal(r.headers['content-security-policy'], DASHBOARD_CSP);
    assert.match(DASHBOARD_CSP, /script-src 'self'(;|$)/);
    assert.doesNotMatch(DASHBOARD_CSP, /unsafe-inline|unsafe-eval|https?:/);
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    if (r.status === 200) {
      assert.match(r.headers['content-type'], /^text\/html/);
      assert.equal(r.headers['cache-control'], 'no-cache');
      assert.doesNotMatch(r.text, /<script>(?!<\/script>)|<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
    } else assert.match(r.text, /npm run build:web/);
  });

  it('answers an unknown asset or a path outside the build with 404, not the file system', async () => {
    for (const p of ['/assets/nope.js', '/assets/..%2Fpackage.json', '/assets/..%2F..%2Fpackage.json', '/assets/%2e%2e%2Findex.html']) {
      const r = await t.http().get(p);
      assert.equal(r.status, 404, p);
    }
  });

  it('GET /api/v1/me names the key and its scope; a read key is told it may only read', async () => {
    const admin = await t.http().get('/api/v1/me').set(t.auth);
    assert.equal(admin.status, 200);
    assert.deepEqual(admin.body, { scope: 'admin', name: 'ADMIN_API_KEY' });
    const created = await t.http().post('/api/v1/api-keys').set(t.auth).send({ name: 'viewer', scope: 'read' });
    assert.equal(created.status, 201, created.text);
    const read = await t.http().get('/api/v1/me').set({ 'x-api-key': created.body.key });
    assert.deepEqual(read.body, { scope: 'read', name: 'viewer' });
    assert.equal((await t.http().get('/api/v1/me')).status, 401);
    assert.equal((await t.http().get('/api/v1/me').set({ authorization: 'Bearer nope-nope-nope' })).status, 401);
  });
});

describe('DashboardFiles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dash-'));
  mkdirSync(join(dir, 'assets'));
  const js = `console.log(${JSON.stringify('x'.repeat(2000))});`;
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), js);
  writeFileSync(join(dir, 'assets', 'index-abc123.css'), 'body{}');
  writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="/assets/index-abc123.js"></script>');
  const files = new DashboardFiles(dir);

  it('serves what the build wrote, gzipped when the client accepts it, with a type per extension', () => {
    const plain = files.file('assets/index-abc123.js', undefined)!;
    assert.equal(plain.gzip, false);
    assert.equal(plain.body.toString(), js);
    assert.match(plain.type, /^text\/javascript/);
    const gz = files.file('assets/index-abc123.js', 'gzip, br')!;
    assert.equal(gz.gzip, true);
    assert.equal(gunzipSync(gz.body).toString(), js);
    assert.notEqual(gz.etag, plain.etag);
    // Small files are not worth compressing.
    assert.equal(files.file('assets/index-abc123.css', 'gzip')!.gzip, false);
    assert.match(files.file('index.html', undefined)!.type, /^text\/html/);
  });

  it('knows nothing outside the build', () => {
    assert.equal(files.file('assets/../index.html', undefined), null);
    assert.equal(files.file('package.json', undefined), null);
    assert.equal(new DashboardFiles(join(dir, 'missing')).file('index.html', undefined), null);
  });
});
