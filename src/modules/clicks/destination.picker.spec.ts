import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pickByWeight } from './destination.picker';

/** A deterministic stand-in for Math.random (mulberry32). */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('destination picker', () => {
  it('chooses in proportion to the weights', () => {
    const items = [
      { id: 'a', weight: 1 },
      { id: 'b', weight: 3 },
      { id: 'c', weight: 6 },
    ];
    const random = seeded(42);
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    const n = 100_000;
    for (let i = 0; i < n; i++) counts[pickByWeight(items, random)!.id]++;
    assert.ok(Math.abs(counts.a / n - 0.1) < 0.01, JSON.stringify(counts));
    assert.ok(Math.abs(counts.b / n - 0.3) < 0.01, JSON.stringify(counts));
    assert.ok(Math.abs(counts.c / n - 0.6) < 0.01, JSON.stringify(counts));
  });

  it('never chooses a weight of 0, even at the edges of the random range', () => {
    const items = [
      { id: 'zero', weight: 0 },
      { id: 'one', weight: 1 },
      { id: 'also-zero', weight: 0 },
    ];
    for (const r of [0, 0.5, 0.999999999]) assert.equal(pickByWeight(items, () => r)!.id, 'one');
    const edges = [
      { id: 'a', weight: 1 },
      { id: 'b', weight: 1 },
      { id: 'z', weight: 0 },
    ];
    assert.equal(pickByWeight(edges, () => 0)!.id, 'a');
    assert.equal(pickByWeight(edges, () => 0.5)!.id, 'b');
    assert.equal(pickByWeight(edges, () => 0.9999999999)!.id, 'b');
  });

  it('answers null when nothing can be chosen', () => {
    assert.equal(pickByWeight([]), null);
    assert.equal(pickByWeight([{ weight: 0 }, { weight: 0 }]), null);
  });
});
