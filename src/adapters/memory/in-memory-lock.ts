import { randomUUID } from 'node:crypto';
import type { Clock } from '../../ports/clock.js';
import type { Lock, LockLease } from '../../ports/lock.js';

interface Holder {
  owner: string;
  expiresAt: number;
}

/** A process-local lock with leases that expire on the injected clock. */
export class InMemoryLock implements Lock {
  private readonly holders = new Map<string, Holder>();

  constructor(private readonly clock: Clock) {}

  async tryAcquire(key: string, ttlMs: number): Promise<LockLease | null> {
    const current = this.holders.get(key);
    if (current !== undefined && current.expiresAt > this.clock.now()) return null;
    const owner = randomUUID();
    this.holders.set(key, { owner, expiresAt: this.clock.now() + ttlMs });
    return {
      release: async (): Promise<void> => {
        if (this.holders.get(key)?.owner === owner) this.holders.delete(key);
      },
    };
  }
}
