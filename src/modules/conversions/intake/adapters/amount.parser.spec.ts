import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseAmount } from './amount.parser';

describe('parseAmount', () => {
  const valid: [unknown, string][] = [
    ['12.34', '12.34'],
    ['0', '0'],
    ['0.00', '0'],
    ['21.0', '21'],
    ['092.40', '92.4'],
    [' 5.5 ', '5.5'],
    ['-5.00', '-5'],
    ['-0', '0'],
    ['15000000000', '15000000000'],
    [12.5, '12.5'],
    [0, '0'],
    [-3, '-3'],
    ['0.005', '0.005'],
  ];
  for (const [raw, value] of valid) {
    it(`${JSON.stringify(raw)} is the amount ${value}`, () => assert.deepEqual(parseAmount(raw, 'payout'), { kind: 'amount', value }));
  }

  const invalid: unknown[] = [
    '12,50',
    '1.234,00',
    '1,083.29',
    'NaN',
    '1E+21',
    '1e3',
    'abc',
    'USD19.99',
    '$1,234.56',
    '+5',
    '.5',
    '5.',
    '1 000',
    '0x10',
    'Infinity',
    1e21,
    1.5e-7,
    NaN,
    Infinity,
    true,
    '100000000000000000000',
  ];
  for (const raw of invalid) {
    it(`${String(raw)} is INVALID`, () => assert.equal(parseAmount(raw, 'payout').kind, 'invalid'));
  }

  it('says which parameter and value were refused', () => {
    assert.deepEqual(parseAmount('12,50', 'payout'), {
      kind: 'invalid',
      reason: "payout '12,50' is not a decimal amount (digits, '.' before the fraction)",
    });
  });

  it('treats empty values and unreplaced macros as absent, with a note', () => {
    assert.deepEqual(parseAmount('', 'payout'), { kind: 'absent', note: 'payout is empty, treated as absent' });
    assert.deepEqual(parseAmount('  ', 'sum'), { kind: 'absent', note: 'sum is empty, treated as absent' });
    assert.deepEqual(parseAmount('{payout}', 'payout'), {
      kind: 'absent',
      note: "payout '{payout}' is an unreplaced macro, treated as absent",
    });
    for (const macro of ['${orderValue}', '#s2#', '[[x]]', '!!!x!!!', 'REPLACE', 'OPTIONAL', '%7Bpayout%7D']) {
      assert.equal(parseAmount(macro, 'payout').kind, 'absent', macro);
    }
    assert.deepEqual(parseAmount(undefined), { kind: 'absent', note: null });
  });

  it('keeps every digit of any decimal it accepts', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 13n), max: 10n ** 13n }), fc.nat({ max: 99 }), (whole, cents) => {
        const text = `${whole}.${String(cents).padStart(2, '0')}`;
        const reading = parseAmount(text);
        assert.equal(reading.kind, 'amount');
        if (reading.kind === 'amount') assert.equal(Number(reading.value), Number(text));
      }),
    );
  });

  it('refuses anything with a comma', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => assert.notEqual(parseAmount(`${a},${b}`).kind, 'amount')));
  });
});
