import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CallTerms, decideManual, decideRepeat, ExistingConversion, payoutFor, termsForNew } from './conversion.rules';

const call = (t: Partial<CallTerms> = {}): CallTerms => ({ amount: null, saleAmount: null, currency: null, status: null, sequenceNumber: null, ...t });
const existing = (e: Partial<ExistingConversion> = {}): ExistingConversion => ({
  id: 'c1',
  status: 'pending',
  payout: '10.00',
  currency: 'USD',
  reported_amount: '10',
  sale_amount: null,
  last_sequence: null,
  click_id: 'k',
  visit_id: 'k',
  ...e,
});
const dynamic = { type: 'dynamic' as const, amount: '92.40', currency: 'USD' };
const fixed = { type: 'fixed' as const, amount: '5', currency: 'EUR' };

describe('payoutFor', () => {
  it('fixed: the offer amount, whatever is reported', () => {
    assert.deepEqual(payoutFor(fixed, '100', 'USD'), { payout: '5', currency: 'EUR' });
  });
  it('dynamic: the call amount in its currency, else the offer', () => {
    assert.deepEqual(payoutFor(dynamic, '12.5', 'EUR'), { payout: '12.5', currency: 'EUR' });
    assert.deepEqual(payoutFor(dynamic, '12.5', null), { payout: '12.5', currency: 'USD' });
    assert.deepEqual(payoutFor(dynamic, null, 'EUR'), { payout: '92.40', currency: 'USD' });
    assert.deepEqual(payoutFor(dynamic, '0', null), { payout: '0', currency: 'USD' });
  });
  it('no offer: the call figures, else zero', () => {
    assert.deepEqual(payoutFor(null, '3', 'GBP'), { payout: '3', currency: 'GBP' });
    assert.deepEqual(payoutFor(null, null, null), { payout: '0', currency: 'USD' });
  });
});

describe('termsForNew', () => {
  it('takes the default status when none is given, the call status otherwise', () => {
    const a = termsForNew(call(), 'approved', dynamic);
    assert.ok(a.ok && a.terms.status === 'approved' && a.terms.payout === '92.40');
    const p = termsForNew(call({ status: 'declined', amount: '1' }), 'pending', dynamic);
    assert.ok(p.ok && p.terms.status === 'declined' && p.terms.reportedAmount === '1');
  });
  it('refuses a negative amount', () => {
    assert.equal(termsForNew(call({ amount: '-5' }), 'approved', dynamic).ok, false);
  });
});

describe('decideRepeat', () => {
  it('nothing new is a duplicate', () => {
    const d = decideRepeat(existing(), call({ amount: '10', status: 'pending' }), dynamic);
    assert.equal(d.outcome, 'duplicate');
    assert.deepEqual(d.patch, {});
  });
  it('an amount without a currency is in the stored currency, never relabelled to the offer', () => {
    const eur = existing({ payout: '7', currency: 'EUR', reported_amount: '7' });
    assert.deepEqual(decideRepeat(eur, call({ amount: '7', status: 'approved' }), dynamic).patch, { status: 'approved' });
    assert.deepEqual(decideRepeat(eur, call({ amount: '9' }), dynamic).patch, { payout: '9', currency: 'EUR', reportedAmount: '9' });
    assert.deepEqual(decideRepeat(eur, call({ currency: 'GBP' }), dynamic).patch, {}, 'a currency alone changes nothing');
  });
  it('a new status or amount is an update', () => {
    const s = decideRepeat(existing(), call({ status: 'approved' }), dynamic);
    assert.equal(s.outcome, 'updated');
    assert.deepEqual(s.patch, { status: 'approved' });
    const a = decideRepeat(existing(), call({ amount: '12' }), dynamic);
    assert.deepEqual(a.patch, { payout: '12', currency: 'USD', reportedAmount: '12' });
    assert.equal(a.payoutChanged, true);
  });
  it('never goes back to pending; approved and declined swap', () => {
    for (const status of ['approved', 'declined'] as const) {
      const d = decideRepeat(existing({ status }), call({ status: 'pending' }), dynamic);
      assert.equal(d.outcome, 'duplicate');
      assert.match(d.notes.join(' '), /never goes back to pending/);
    }
    assert.deepEqual(decideRepeat(existing({ status: 'approved' }), call({ status: 'declined' }), dynamic).patch, { status: 'declined' });
    assert.deepEqual(decideRepeat(existing({ status: 'declined' }), call({ status: 'approved' }), dynamic).patch, { status: 'approved' });
  });
  it('a negative amount reverses: declined, payout kept', () => {
    const d = decideRepeat(existing({ status: 'approved' }), call({ amount: '-10' }), dynamic);
    assert.equal(d.outcome, 'updated');
    assert.deepEqual(d.patch, { status: 'declined' });
    assert.match(d.summary ?? '', /reversal/);
    assert.equal(decideRepeat(existing({ status: 'declined' }), call({ amount: '-10' }), dynamic).outcome, 'duplicate');
  });
  it('an old sequence number changes nothing; a newer one is remembered', () => {
    const old = decideRepeat(existing({ last_sequence: '3' }), call({ sequenceNumber: 2, status: 'approved' }), dynamic);
    assert.equal(old.outcome, 'duplicate');
    assert.deepEqual(old.patch, {});
    const same = decideRepeat(existing({ last_sequence: '3' }), call({ sequenceNumber: 3, status: 'approved' }), dynamic);
    assert.equal(same.outcome, 'duplicate');
    const next = decideRepeat(existing({ last_sequence: '3' }), call({ sequenceNumber: 4 }), dynamic);
    assert.equal(next.outcome, 'duplicate');
    assert.deepEqual(next.patch, { lastSequence: 4 });
  });
  it('fixed payout: a new reported amount is kept, the payout is not', () => {
    const d = decideRepeat(existing({ payout: '5', currency: 'EUR', reported_amount: '10' }), call({ amount: '11' }), fixed);
    assert.equal(d.outcome, 'updated');
    assert.deepEqual(d.patch, { reportedAmount: '11' });
    assert.equal(d.payoutChanged, false);
  });
  it('compares amounts as numbers', () => {
    assert.equal(decideRepeat(existing({ payout: '10.00', reported_amount: '10.0' }), call({ amount: '10' }), dynamic).outcome, 'duplicate');
  });
});

describe('decideManual (PATCH /conversions/:id)', () => {
  const held = { status: 'approved' as const, payout: '10.00', currency: 'USD' };
  it('never back to pending; approved <-> declined both ways', () => {
    assert.deepEqual(decideManual(held, { status: 'pending' }), {
      ok: false,
      code: 'INVALID_TRANSITION',
      reason: 'the conversion is approved; a conversion never goes back to pending',
    });
    assert.deepEqual(decideManual(held, { status: 'declined' }), { ok: true, patch: { status: 'declined' }, summary: 'status approved -> declined' });
    assert.deepEqual(decideManual({ ...held, status: 'declined' }, { status: 'approved' }).ok, true);
  });
  it('a payout by hand is the payout, in its own currency or the stored one', () => {
    assert.deepEqual(decideManual(held, { payout: '12.50' }), {
      ok: true,
      patch: { payout: '12.5', currency: 'USD' },
      summary: 'payout 10.00 USD -> 12.5 USD',
    });
    assert.deepEqual(decideManual(held, { payout: '10', currency: 'EUR' }).ok && decideManual(held, { payout: '10', currency: 'EUR' }), {
      ok: true,
      patch: { payout: '10', currency: 'EUR' },
      summary: 'payout 10.00 USD -> 10 EUR',
    });
    assert.deepEqual(decideManual(held, { payout: '10.0', status: 'approved' }), { ok: true, patch: {}, summary: null });
  });
  it('a currency alone or a negative payout is refused', () => {
    assert.equal((decideManual(held, { currency: 'EUR' }) as { code: string }).code, 'CURRENCY_WITHOUT_PAYOUT');
    assert.equal((decideManual(held, { payout: '-1' }) as { code: string }).code, 'NEGATIVE_AMOUNT');
  });
});
