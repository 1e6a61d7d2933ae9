import type { Clock } from '../../ports/clock.js';
import type { IdempotencyClaim, IdempotencyStore } from '../../ports/idempotency-store.js';
import { claimAgainst, idempotencyRecordSchema, parseJsonRecord } from '../shared/stored-records.js';
import type { IdempotencyRecord } from '../shared/stored-records.js';

/** Idempotency store for the embedded default and tests; the backing map is keyed by idempotency key. */
export class InMemoryIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly clock: Clock,
    private readonly entries: Map<string, string> = new Map(),
  ) {}

  async claim(key: string, fingerprint: string, ttlMs: number): Promise<IdempotencyClaim> {
    const current = this.live(key);
    if (current !== null) return claimAgainst(current, fingerprint);
    this.write(key, { fingerprint, state: 'pending', expiresAt: this.clock.now() + ttlMs });
    return { state: 'claimed' };
  }

  async complete(key: string, fingerprint: string, result: string, ttlMs: number): Promise<void> {
    const current = this.live(key);
    if (current !== null && current.fingerprint !== fingerprint) return;
    this.write(key, { fingerprint, state: 'done', result, expiresAt: this.clock.now() + ttlMs });
  }

  async release(key: string, fingerprint: string): Promise<void> {
    const current = this.live(key);
    if (current?.fingerprint === fingerprint && current.state === 'pending') this.entries.delete(key);
  }

  private live(key: string): IdempotencyRecord | null {
    const record = parseJsonRecord(idempotencyRecordSchema, this.entries.get(key));
    return record !== null && record.expiresAt > this.clock.now() ? record : null;
  }

  private write(key: string, record: IdempotencyRecord): void {
    this.entries.set(key, JSON.stringify(record));
  }
}
