import { LRUCache } from 'lru-cache';

/**
 * A small read-through cache for management settings on hot paths: entries live `ttlMs` (so
 * other processes' changes are seen within it), concurrent misses share one load, a failed
 * load is forgotten, and it never holds more than `maxEntries` (ids in URLs are caller input):
 * beyond, the least recently used entry goes, so a flood of random ids cannot empty it for
 * everyone (lru-cache).
 */
export class TtlCache<V> {
  private readonly entries: LRUCache<string, { at: number; value: Promise<V> }>;

  constructor(
    private readonly ttlMs: number,
    maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {
    this.entries = new LRUCache({ max: maxEntries });
  }

  get(key: string, load: (key: string) => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    const now = this.now();
    if (hit && now - hit.at < this.ttlMs) return hit.value;
    const value = load(key);
    const entry = { at: now, value };
    this.entries.set(key, entry);
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}
