import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { RateLimiter } from '../../src/ports/rate-limiter.js';

export interface RateLimiterSubject {
  limiter: RateLimiter;
  advance(ms: number): Promise<void>;
  close?(): Promise<void>;
}

const SLOW = { capacity: 5, refillPerSecond: 0.01 };

export function describeRateLimiterContract(options: {
  make: () => Promise<RateLimiterSubject>;
}): void {
  describe('RateLimiter contract', () => {
    let subject: RateLimiterSubject | undefined;
    const make = async (): Promise<RateLimiterSubject> => (subject = await options.make());
    afterEach(async () => {
      await subject?.close?.();
      subject = undefined;
    });
    const newKey = (): string => `rl-${randomUUID()}`;

    it('allows a burst up to capacity, then says when to retry', async () => {
      const s = await make();
      const key = newKey();
      for (let i = 0; i < 5; i += 1) expect((await s.limiter.take(key, SLOW)).allowed).toBe(true);
      const denied = await s.limiter.take(key, SLOW);
      expect(denied.allowed).toBe(false);
      expect(denied.retryAfterSeconds).toBeGreaterThanOrEqual(90);
      expect(denied.retryAfterSeconds).toBeLessThanOrEqual(100);
      expect((await s.limiter.take(newKey(), SLOW)).allowed).toBe(true);
    });

    it('admits exactly capacity among many concurrent takers', async () => {
      const s = await make();
      const key = newKey();
      const decisions = await Promise.all(
        Array.from({ length: 40 }, () => s.limiter.take(key, { capacity: 10, refillPerSecond: 0.01 })),
      );
      expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
    });

    it('refills over time', async () => {
      const s = await make();
      const key = newKey();
      // Two tokens take 500 ms to refill: wide enough that a slow machine cannot refill between calls.
      const limit = { capacity: 2, refillPerSecond: 4 };
      expect((await s.limiter.take(key, limit, 2)).allowed).toBe(true);
      expect((await s.limiter.take(key, limit, 2)).allowed).toBe(false);
      await s.advance(550);
      expect((await s.limiter.take(key, limit, 2)).allowed).toBe(true);
    });

    it('charges the given cost', async () => {
      const s = await make();
      const key = newKey();
      const limit = { capacity: 10, refillPerSecond: 0.01 };
      expect((await s.limiter.take(key, limit, 4)).allowed).toBe(true);
      expect((await s.limiter.take(key, limit, 4)).allowed).toBe(true);
      expect((await s.limiter.take(key, limit, 4)).allowed).toBe(false);
      expect((await s.limiter.take(key, limit, 2)).allowed).toBe(true);
    });

    it('rejects a meaningless limit as a programming error', async () => {
      const s = await make();
      await expect(s.limiter.take(newKey(), { capacity: 0, refillPerSecond: 1 })).rejects.toMatchObject({
        category: 'internal',
        code: 'ratelimit.invalidLimit',
      });
    });
  });
}
