import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { minorUnits, roundDecimal } from './money';

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
  it('knows the minor units of a currency', () => {
    assert.equal(minorUnits('USD'), 2);
    assert.equal(minorUnits('JPY'), 0);
    assert.equal(minorUnits('BHD'), 3);
  });
});
