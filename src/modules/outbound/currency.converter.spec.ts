import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { convertAmount, isSupportedCurrency } from './currency.converter';

const rates = { base: 'USD', rates: { EUR: '0.92', GBP: '0.79', JPY: '151.5', BTC: '0.0000153' } };

describe('convertAmount', () => {
  it('divides by the rate of the source currency (SPEC §3: 10 EUR count 10 / 0.92 USD)', () => {
    assert.equal(convertAmount('10', 'EUR', 'USD', rates), '10.869565');
    assert.equal(convertAmount('9.2', 'EUR', 'USD', rates), '10');
  });

  it('multiplies by the rate of the target currency', () => {
    assert.equal(convertAmount('100', 'USD', 'EUR', rates), '92');
    assert.equal(convertAmount('92.4', 'USD', 'JPY', rates), '13998.6');
  });

  it('goes through the base between two other currencies, exactly', () => {
    // 50 GBP = 50 / 0.79 USD = 63.291139... USD = 58.227848... EUR
    assert.equal(convertAmount('50', 'GBP', 'EUR', rates), '58.227848');
    // float arithmetic would give 0.30000000000000004-style noise; decimals do not
    assert.equal(convertAmount('0.1', 'EUR', 'EUR', rates), '0.1');
    assert.equal(convertAmount('0.30', 'USD', 'USD', rates), '0.3');
  });

  it('rounds half away from zero at the sixth decimal, negatives too', () => {
    assert.equal(convertAmount('1', 'USD', 'BTC', rates), '0.000015'); // 0.0000153
    assert.equal(convertAmount('0.5', 'USD', 'BTC', rates), '0.000008'); // 0.00000765
    assert.equal(convertAmount('-0.5', 'USD', 'BTC', rates), '-0.000008');
    assert.equal(convertAmount('-10', 'EUR', 'USD', rates), '-10.869565');
  });

  it('keeps big amounts exact', () => {
    assert.equal(convertAmount('123456789012345678.99', 'USD', 'EUR', rates), '113580245891358024.6708');
  });

  it('answers null for a currency without a rate', () => {
    assert.equal(convertAmount('10', 'CHF', 'USD', rates), null);
    assert.equal(convertAmount('10', 'USD', 'CHF', rates), null);
    assert.equal(isSupportedCurrency(rates, 'USD'), true);
    assert.equal(isSupportedCurrency(rates, 'EUR'), true);
    assert.equal(isSupportedCurrency(rates, 'CHF'), false);
    assert.equal(isSupportedCurrency(rates, 'constructor'), false);
  });
});
