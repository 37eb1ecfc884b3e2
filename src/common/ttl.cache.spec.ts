import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TtlCache } from './ttl.cache';

describe('TtlCache', () => {
  it('loads once within the TTL, again after it, and shares concurrent loads', async () => {
    let now = 0;
    let loads = 0;
    const cache = new TtlCache<number>(5000, 10, () => now);
    const load = async () => ++loads;
    assert.deepEqual(await Promise.all([cache.get('a', load), cache.get('a', load)]), [1, 1]);
    now = 4999;
    assert.equal(await cache.get('a', load), 1);
    now = 5000;
    assert.equal(await cache.get('a', load), 2);
    cache.clear();
    assert.equal(await cache.get('a', load), 3);
  });

  it('forgets a failed load and stays bounded', async () => {
    const cache = new TtlCache<number>(5000, 2);
    await assert.rejects(
      cache.get('x', async () => {
        throw new Error('down');
      }),
    );
    assert.equal(await cache.get('x', async () => 7), 7);
    for (let i = 0; i < 10; i++) await cache.get(`k${i}`, async () => i);
    assert.equal(await cache.get('k9', async () => -1), 9);
  });

  it('keeps what is used when a flood of new keys passes the bound (least recently used goes first)', async () => {
    const cache = new TtlCache<string>(60_000, 3);
    let hotLoads = 0;
    const hot = async () => (hotLoads++, 'hot');
    await cache.get('hot', hot);
    for (let i = 0; i < 100; i++) {
      await cache.get(`random-${i}`, async () => 'x');
      assert.equal(await cache.get('hot', hot), 'hot');
    }
    assert.equal(hotLoads, 1, 'the hot entry was never dropped');
  });
});
