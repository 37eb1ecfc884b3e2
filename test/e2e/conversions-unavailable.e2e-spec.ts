import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, TestApp } from '../support/test-app';
import { insertVisit, makeWorld } from '../support/conversion-world';

/** SPEC §6: when nothing can be committed the sender is told to retry (503); a pixel still answers its GIF. */
describe('conversions in: the database is gone', () => {
  let t: TestApp;
  let click: string;
  before(async () => {
    t = await startTestApp();
    click = await insertVisit(t, await makeWorld(t));
    // Warm the caches, so the failure comes from the write itself.
    assert.equal((await t.http().get(`/postback?clickid=${click}&txid=W-1`)).body.status, 'accepted');
    await t.db.destroy();
  });
  after(() => t.close().catch(() => {}));

  it('answers 503 DATABASE_UNAVAILABLE', async () => {
    const r = await t.http().get(`/postback?clickid=${click}&txid=W-2`);
    assert.equal(r.status, 503, r.text);
    assert.equal(r.body.code, 'DATABASE_UNAVAILABLE');
    const p = await t.http().get(`/a.gif?h=${click}`);
    assert.equal(p.status, 200);
    assert.match(p.headers['content-type'], /image\/gif/);
  });
});
