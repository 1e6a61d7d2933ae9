import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Lock } from '../../src/ports/lock.js';
import { PAST_SHORT_TTL_MS, SHORT_TTL_MS } from './contract-case.js';

export interface LockSubject {
  lock: Lock;
  advance(ms: number): Promise<void>;
  close?(): Promise<void>;
}

export function describeLockContract(options: {
  make: () => Promise<LockSubject>;
}): void {
  describe('Lock contract', () => {
    let subject: LockSubject | undefined;
    const make = async (): Promise<LockSubject> => (subject = await options.make());
    afterEach(async () => {
      await subject?.close?.();
      subject = undefined;
    });
    const newKey = (): string => `lock-${randomUUID()}`;

    it('excludes a second holder until released', async () => {
      const s = await make();
      const key = newKey();
      const lease = await s.lock.tryAcquire(key, 10_000);
      expect(lease).not.toBeNull();
      expect(await s.lock.tryAcquire(key, 10_000)).toBeNull();
      expect(await s.lock.tryAcquire(newKey(), 10_000)).not.toBeNull();
      await lease?.release();
      await lease?.release();
      expect(await s.lock.tryAcquire(key, 10_000)).not.toBeNull();
    });

    it('grants exactly one of many concurrent contenders', async () => {
      const s = await make();
      const key = newKey();
      const leases = await Promise.all(Array.from({ length: 40 }, () => s.lock.tryAcquire(key, 10_000)));
      expect(leases.filter((l) => l !== null)).toHaveLength(1);
    });

    it('frees a lock whose lease expired', async () => {
      const s = await make();
      const key = newKey();
      await s.lock.tryAcquire(key, SHORT_TTL_MS);
      await s.advance(PAST_SHORT_TTL_MS);
      expect(await s.lock.tryAcquire(key, 10_000)).not.toBeNull();
    });

    it("never lets an expired lease release the next owner's lock", async () => {
      const s = await make();
      const key = newKey();
      const first = await s.lock.tryAcquire(key, SHORT_TTL_MS);
      await s.advance(PAST_SHORT_TTL_MS);
      const second = await s.lock.tryAcquire(key, 10_000);
      expect(second).not.toBeNull();
      await first?.release();
      expect(await s.lock.tryAcquire(key, 10_000)).toBeNull();
      await second?.release();
      expect(await s.lock.tryAcquire(key, 10_000)).not.toBeNull();
    });
  });
}
