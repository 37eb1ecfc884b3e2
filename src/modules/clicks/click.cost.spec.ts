import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { clickCost } from './click.cost';

describe('click cost', () => {
  it('cpc: the campaign amount per click', () => {
    assert.equal(clickCost('cpc', '0.05', undefined), '0.05');
    assert.equal(clickCost('cpc', '1.50', '9'), '1.5');
  });

  it('cpm: the amount per thousand clicks, exactly', () => {
    assert.equal(clickCost('cpm', '2.5', undefined), '0.0025');
    assert.equal(clickCost('cpm', '1500', undefined), '1.5');
    assert.equal(clickCost('cpm', '12345.678', undefined), '12.345678');
    assert.equal(clickCost('cpm', '0.05', undefined), '0.00005');
    assert.equal(clickCost('cpm', '0', undefined), '0');
    assert.equal(clickCost('cpm', '1000', undefined), '1');
  });

  it('auto: the reported value when it is a plain non-negative decimal, else 0', () => {
    assert.equal(clickCost('auto', '0', '0.125'), '0.125');
    assert.equal(clickCost('auto', '5', ' 0.30 '), '0.3');
    assert.equal(clickCost('auto', '5', '7'), '7');
    for (const bad of [undefined, '', '1,5', '-1', 'NaN', '1e3', '0x10', '{cost}', '1.2.3', '9'.repeat(40)])
      assert.equal(clickCost('auto', '5', bad), '0', String(bad));
  });

  it('none: nothing', () => {
    assert.equal(clickCost('none', '3', '4'), '0');
  });
});
