import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { IpAllowList } from './ip-allow-list';

describe('IpAllowList', () => {
  it('is absent for an empty list', () => {
    assert.equal(IpAllowList.of([]), null);
    assert.equal(IpAllowList.of(undefined), null);
  });

  it('matches addresses and CIDRs of both families', () => {
    const list = IpAllowList.of(['203.0.113.0/24', '198.51.100.7', '2001:db8::/32'])!;
    assert.equal(list.allows('203.0.113.200'), true);
    assert.equal(list.allows('::ffff:203.0.113.9'), true);
    assert.equal(list.allows('203.0.114.1'), false);
    assert.equal(list.allows('198.51.100.7'), true);
    assert.equal(list.allows('198.51.100.8'), false);
    assert.equal(list.allows('2001:db8:1::5'), true);
    assert.equal(list.allows('2001:db9::5'), false);
    assert.equal(list.allows('not an ip'), false);
  });

  it('allows nobody when no entry is usable', () => {
    const list = IpAllowList.of(['nonsense'])!;
    assert.equal(list.allows('127.0.0.1'), false);
  });
});
