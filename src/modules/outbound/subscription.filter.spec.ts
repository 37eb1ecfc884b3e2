import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FilterSubject, passesFilter } from './subscription.filter';

const conversion: FilterSubject = {
  campaignId: 'camp-1',
  offerId: 'offer-1',
  affiliateNetworkId: 'net-1',
  trafficSourceId: 'ts-1',
  conversionTypeId: '1',
  conversionTypeCode: 'cps',
  status: 'approved',
};

describe('passesFilter', () => {
  it('lets everything through when every list is absent or empty', () => {
    assert.equal(passesFilter({}, conversion), true);
    assert.equal(passesFilter({ campaignIds: [], statuses: [] }, conversion), true);
  });

  it('needs every given list to hold the value', () => {
    assert.equal(passesFilter({ campaignIds: ['camp-1', 'camp-2'] }, conversion), true);
    assert.equal(passesFilter({ campaignIds: ['camp-2'] }, conversion), false);
    assert.equal(passesFilter({ campaignIds: ['camp-1'], offerIds: ['offer-2'] }, conversion), false);
    assert.equal(passesFilter({ affiliateNetworkIds: ['net-1'], trafficSourceIds: ['ts-1'] }, conversion), true);
    assert.equal(passesFilter({ trafficSourceIds: ['ts-2'] }, conversion), false);
    assert.equal(passesFilter({ statuses: ['pending', 'declined'] }, conversion), false);
    assert.equal(passesFilter({ statuses: ['approved'] }, conversion), true);
  });

  it('matches conversion types by id or code, case ignored', () => {
    assert.equal(passesFilter({ conversionTypes: ['1'] }, conversion), true);
    assert.equal(passesFilter({ conversionTypes: ['CPS'] }, conversion), true);
    assert.equal(passesFilter({ conversionTypes: ['cpl', '2'] }, conversion), false);
  });

  it('never lets an unattributed conversion through a campaign filter', () => {
    const orphan = { ...conversion, campaignId: null, offerId: null, trafficSourceId: null };
    assert.equal(passesFilter({ campaignIds: ['camp-1'] }, orphan), false);
    assert.equal(passesFilter({ statuses: ['approved'] }, orphan), true);
  });
});
