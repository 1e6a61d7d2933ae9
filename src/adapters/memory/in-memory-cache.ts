import type { Cache } from '../../ports/cache.js';
import type { Clock } from '../../ports/clock.js';

interface Entry {
  value: string;
  expiresAt: number;
}

/** A per-process cache bounded by entry count; the oldest insertion goes first when full. */
export class InMemoryCache implements Cache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    private readonly maxEntries = 10_000,
  ) {}

  async get(key: string): Promise<string | null> {
    const entry = this.entries.get(key);
    if (entry === undefined) return null;
    if (entry.expiresAt > this.clock.now()) return entry.value;
    this.entries.delete(key);
    return null;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, expiresAt: this.clock.now() + ttlMs });
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }
}
