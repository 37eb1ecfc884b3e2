import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TableSnapshotCache } from './table-snapshot.cache';

describe('TableSnapshotCache', () => {
  it('keeps a value for its time to live, then loads again', async () => {
    let now = 0;
    let loads = 0;
    const cache = new TableSnapshotCache<number>(5_000, () => now);
    const load = async () => ++loads;
    assert.equal(await cache.get(load), 1);
    now = 4_999;
    assert.equal(await cache.get(load), 1);
    now = 5_000;
    assert.equal(await cache.get(load), 2);
  });

  it('loads again after clear(), and does not keep a load that began before it', async () => {
    const cache = new TableSnapshotCache<string>(60_000);
    let release!: (v: string) => void;
    const slow = cache.get(() => new Promise<string>((resolve) => (release = resolve)));
    cache.clear();
    release('stale');
    assert.equal(await slow, 'stale', 'the caller that loaded still gets what it read');
    assert.equal(await cache.get(async () => 'fresh'), 'fresh');
    assert.equal(await cache.get(async () => 'unused'), 'fresh');
  });

  it('forgets a failed load', async () => {
    const cache = new TableSnapshotCache<string>(60_000);
    await assert.rejects(cache.get(async () => Promise.reject(new Error('down'))));
    assert.equal(await cache.get(async () => 'up'), 'up');
  });
});
