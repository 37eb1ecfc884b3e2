/**
 * One value read whole from a management table (the active subscriptions, the traffic sources'
 * postback settings) for the outbox writer. It is loaded through the caller's manager: the writer
 * runs inside the conversion's transaction, where no other connection may be used (PGlite has one
 * session). Kept `ttlMs` (SPEC §3: another process's change is seen within 5 s) and dropped at
 * once on `clear()` (this process's change); a load that began before a `clear()` is not kept.
 */
export class TableSnapshotCache<V> {
  private value: V | undefined;
  private loadedAt = 0;
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async get(load: () => Promise<V>): Promise<V> {
    if (this.value !== undefined && this.now() - this.loadedAt < this.ttlMs) return this.value;
    const generation = this.generation;
    const startedAt = this.now();
    const value = await load();
    if (generation === this.generation) {
      this.value = value;
      this.loadedAt = startedAt;
    }
    return value;
  }

  clear(): void {
    this.generation++;
    this.value = undefined;
  }
}
