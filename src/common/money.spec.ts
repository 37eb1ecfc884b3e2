import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { minorUnits, roundDecimal, roundToNumber } from './money';

describe('roundDecimal', () => {
  it('rounds half away from zero, exactly', () => {
    assert.equal(roundDecimal('615.9627132636214', 4), '615.9627');
    assert.equal(roundDecimal('615.96275', 4), '615.9628');
    assert.equal(roundDecimal('-615.96275', 4), '-615.9628');
    assert.equal(roundDecimal('0.99995', 4), '1');
    assert.equal(roundDecimal('-0.00004', 4), '0');
    assert.equal(roundDecimal('12.5', 4), '12.5');
    assert.equal(roundDecimal('2.5', 0), '3');
    assert.equal(roundDecimal('9999999999999999.99995', 4), '10000000000000000');
  });
  it('roundToNumber is Number(roundDecimal(...)), short amounts and long', () => {
    const cases: [string, number][] = [
      ['615.9627132636214', 4],
      ['615.96275', 4],
      ['-615.96275', 4],
      ['0.99995', 4],
      ['-0.00004', 4],
      ['-0.00005', 4],
      ['12.5', 4],
      ['2.5', 0],
      ['-2.5', 0],
      ['7', 2],
      ['-0', 2],
      ['0.000000', 4],
      ['123456789012.34565', 4],
      ['9999999999999999.99995', 4],
      ['1234567890123456789.123456', 4],
    ];
    for (const [amount, digits] of cases) assert.equal(roundToNumber(amount, digits), Number(roundDecimal(amount, digits)), `${amount} to ${digits}`);
    // Random amounts of up to 12 whole and 20 fraction digits, either sign.
    let seed = 7;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const digitsOf = (n: number) => Array.from({ length: n }, () => Math.floor(rnd() * 10)).join('');
    for (let i = 0; i < 20_000; i++) {
      const amount = `${rnd() < 0.3 ? '-' : ''}${digitsOf(1 + Math.floor(rnd() * 12))}.${digitsOf(1 + Math.floor(rnd() * 20))}`;
      const digits = Math.floor(rnd() * 7);
      assert.equal(roundToNumber(amount, digits), Number(roundDecimal(amount, digits)), `${amount} to ${digits}`);
    }
  });
  it('knows the minor units of a currency', () => {
    assert.equal(minorUnits('USD'), 2);
    assert.equal(minorUnits('JPY'), 0);
    assert.equal(minorUnits('BHD'), 3);
  });
});
