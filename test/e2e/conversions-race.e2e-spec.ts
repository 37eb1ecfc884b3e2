import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, TestApp } from '../support/test-app';
import { ConversionWorld, countRows, insertVisit, makeWorld } from '../support/conversion-world';

/** SPEC §6 dedupe in the database: concurrent identical calls make one conversion. */
describe('conversions in: concurrent identical calls', () => {
  let t: TestApp;
  let w: ConversionWorld;
  before(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
    w = await makeWorld(t);
  });
  after(() => t.close());

  async function fire(paths: string[]): Promise<{ status: string; conversionId: string }[]> {
    const answers = await Promise.all(paths.map((p) => fetch(t.url + p)));
    assert.deepEqual([...new Set(answers.map((r) => r.status))], [200]);
    return Promise.all(answers.map((r) => r.json() as Promise<{ status: string; conversionId: string }>));
  }

  it('100 concurrent identical postbacks: one conversion, one accepted, 99 duplicates', async () => {
    const click = await insertVisit(t, w);
    const bodies = await fire(Array.from({ length: 100 }, () => `/postback?clickid=${click}&payout=5&txid=RACE-1`));
    const counts = bodies.reduce<Record<string, number>>((acc, b) => ({ ...acc, [b.status]: (acc[b.status] ?? 0) + 1 }), {});
    assert.deepEqual(counts, { accepted: 1, duplicate: 99 });
    assert.equal(new Set(bodies.map((b) => b.conversionId)).size, 1);
    assert.equal(await countRows(t, `SELECT 1 FROM conversions WHERE click_id = $1`, [click]), 1);
    assert.equal(await countRows(t, `SELECT 1 FROM conversion_history h JOIN conversions c ON c.id = h.conversion_id WHERE c.click_id = $1`, [click]), 1);
    assert.equal(await countRows(t, `SELECT 1 FROM postbacks WHERE url LIKE $1`, [`%RACE-1%`]), 100);
  });

  it('concurrent calls without a transaction id, and concurrent status changes', async () => {
    const click = await insertVisit(t, w);
    const bodies = await fire(Array.from({ length: 50 }, () => `/postback?clickid=${click}`));
    assert.equal(bodies.filter((b) => b.status === 'accepted').length, 1);
    const changes = await fire(Array.from({ length: 30 }, (_, i) => `/postback?clickid=${click}&status=${i % 2 ? 'declined' : 'approved'}`));
    assert.ok(changes.every((b) => b.status === 'updated' || b.status === 'duplicate'));
    const [row] = await t.db.query(`SELECT id, status FROM conversions WHERE click_id = $1`, [click]);
    const history = await t.db.query(`SELECT status FROM conversion_history WHERE conversion_id = $1 ORDER BY id`, [row.id]);
    assert.equal(history.length, 1 + changes.filter((b) => b.status === 'updated').length, 'one history row per change');
    assert.equal(history.at(-1).status, row.status, 'the last history row is the current status');
  });
});
