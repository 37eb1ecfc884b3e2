import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, TestApp } from '../support/test-app';
import { conversion, ConversionWorld, insertVisit, makeWorld } from '../support/conversion-world';

/** A small seeded generator (mulberry32): the same sequences on every run, any failure reproducible. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Stored {
  status: string;
  payout: number;
  currency: string;
}

/**
 * Issue 13 property: no sequence of postbacks for one transaction (random statuses, amounts,
 * currencies, missing fields) ever changes a stored amount's currency without a new amount and
 * currency, and the history replays to the stored state.
 */
describe('conversions: any sequence of postbacks keeps money honest', () => {
  let t: TestApp;
  let dynamic: ConversionWorld;
  let fixed: ConversionWorld;
  before(async () => {
    t = await startTestApp();
    dynamic = await makeWorld(t);
    fixed = await makeWorld(t, { payout: { type: 'fixed', amount: '5', currency: 'EUR' } });
  });
  after(() => t.close());

  const pick = <T>(next: () => number, xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];

  for (const [name, seed] of [
    ['dynamic offer', 1337],
    ['fixed offer', 4242],
  ] as const) {
    it(`${name}: 30 transactions of 1 to 7 calls each`, async () => {
      const next = random(seed);
      const world = name === 'dynamic offer' ? dynamic : fixed;
      for (let tx = 0; tx < 30; tx++) {
        const click = await insertVisit(t, world);
        const txid = `P-${seed}-${tx}`;
        let id: string | null = null;
        let before: Stored | null = null;
        const calls = 1 + Math.floor(next() * 7);
        for (let i = 0; i < calls; i++) {
          const q = new URLSearchParams({ clickid: click, txid });
          const amount = pick(next, [null, '7', '7.00', '12.5', '0', '99.99', '-3']);
          const currency = pick(next, [null, null, 'EUR', 'USD', 'GBP', 'usd']);
          const status = pick(next, [null, 'pending', 'approved', 'declined', 'rejected', 'hold']);
          if (amount !== null) q.set('payout', amount);
          if (currency !== null) q.set('currency', currency);
          if (status !== null) q.set('status', status);
          const r = await t.http().get(`/postback?${q}`);
          assert.equal(r.status, 200, r.text);
          if (!r.body.conversionId) continue; // a negative amount for a new transaction is rejected
          id ??= r.body.conversionId;
          assert.equal(r.body.conversionId, id, 'one transaction, one conversion');
          const c = await conversion(t, id!);
          const after: Stored = { status: c.status, payout: c.payload.data.payout, currency: c.currency };
          if (before && after.currency !== before.currency) {
            assert.ok(
              amount !== null && currency !== null,
              `call ${q}: ${before.payout} ${before.currency} became ${after.payout} ${after.currency} without a new amount and currency`,
            );
            assert.notEqual(name, 'fixed offer', 'a fixed offer keeps its own currency');
          }
          if (before && amount === null) assert.equal(after.payout, before.payout, `call ${q} had no amount but changed the payout`);
          // The history replays to the stored state: its last row is what is stored.
          const last = c.history.at(-1);
          assert.deepEqual({ status: last.status, payout: last.payout, currency: last.currency }, after, `history of ${id} after ${q}`);
          for (let h = 1; h < c.history.length; h++)
            assert.ok(!(c.history[h].status === 'pending' && c.history[h - 1].status !== 'pending'), 'never back to pending');
          before = after;
        }
      }
    });
  }
});
