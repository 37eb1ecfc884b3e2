import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { customAttributeValue } from './custom-attribute';

const spec = {
  attributes: ['campaignId', 'status'],
  userAttribute: 'tier',
  rules: [
    { inputs: ['camp-1', 'approved'], output: 'gold' },
    { inputs: ['camp-1', 'pending'], output: 'silver' },
    { inputs: ['camp-1', 'approved'], output: 'never: an earlier rule matched' },
  ],
};

describe('customAttributeValue', () => {
  it('answers the output of the first rule whose inputs equal the values, in order', () => {
    assert.equal(customAttributeValue(spec, { campaignId: 'camp-1', status: 'approved' }), 'gold');
    assert.equal(customAttributeValue(spec, { campaignId: 'camp-1', status: 'pending' }), 'silver');
  });

  it('is empty when no rule matches; order and case matter', () => {
    assert.equal(customAttributeValue(spec, { campaignId: 'camp-1', status: 'declined' }), '');
    assert.equal(customAttributeValue(spec, { campaignId: 'approved', status: 'camp-1' }), '');
    assert.equal(customAttributeValue(spec, { campaignId: 'CAMP-1', status: 'approved' }), '');
  });

  it('compares an absent value as empty text', () => {
    const s = { attributes: ['externalId'], userAttribute: 'x', rules: [{ inputs: [''], output: 'no external id' }] };
    assert.equal(customAttributeValue(s, {}), 'no external id');
    assert.equal(customAttributeValue(s, { externalId: null }), 'no external id');
    assert.equal(customAttributeValue(s, { externalId: 'abc' }), '');
  });

  it('does not read inherited properties', () => {
    const s = { attributes: ['constructor'], userAttribute: 'x', rules: [{ inputs: [''], output: 'own only' }] };
    assert.equal(customAttributeValue(s, {}), 'own only');
  });
});
