/** A plaintext data key kept in process, bounded by age and number of uses. */
export interface CachedDataKey {
  plaintext: Buffer;
  encrypted: Uint8Array;
  keyId: string;
  createdAt: number;
  uses: number;
}

export interface DataKeyCacheLimits {
  maxAgeMs: number;
  maxUses: number;
  maxEntries: number;
}

/**
 * Bounded cache of data keys. An entry is used at most `maxUses` times and for at most
 * `maxAgeMs`; evicted keys are zeroed so plaintext key material does not linger in the heap.
 */
export class DataKeyCache {
  private readonly entries = new Map<string, CachedDataKey>();

  constructor(private readonly limits: DataKeyCacheLimits) {}

  /** Returns a usable entry and counts the use, or undefined (expired or exhausted entries are dropped). */
  take(key: string, now: number): CachedDataKey | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (now - entry.createdAt >= this.limits.maxAgeMs || entry.uses >= this.limits.maxUses) {
      this.evict(key);
      return undefined;
    }
    entry.uses += 1;
    return entry;
  }

  put(key: string, entry: CachedDataKey): void {
    if (this.limits.maxUses <= 0 || this.limits.maxAgeMs <= 0 || this.limits.maxEntries <= 0) return;
    this.evict(key);
    if (this.entries.size >= this.limits.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.evict(oldest.value);
    }
    this.entries.set(key, entry);
  }

  private evict(key: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    entry.plaintext.fill(0);
  }
}
