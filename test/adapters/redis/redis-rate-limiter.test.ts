import { describe, expect, it } from 'vitest';
import { RedisRateLimiter } from '../../../src/adapters/redis/redis-rate-limiter.js';
import { describeRateLimiterContract } from '../../contracts/rate-limiter.contract.js';
import { connectTestRedis, sleep } from '../../support/redis.js';

describeRateLimiterContract({
  make: async () => {
    const t = await connectTestRedis();
    return { limiter: new RedisRateLimiter(t.redis), advance: sleep, close: t.close };
  },
});

describe('RedisRateLimiter with malformed bucket state', () => {
  it('reads unreadable state as a full bucket', async () => {
    const t = await connectTestRedis();
    try {
      await t.raw.hset(`${t.prefix}rl:bad`, 'tokens', 'NaN-ish', 'ts', 'yesterday');
      const limiter = new RedisRateLimiter(t.redis);
      expect((await limiter.take('bad', { capacity: 1, refillPerSecond: 0.01 })).allowed).toBe(true);
      expect((await limiter.take('bad', { capacity: 1, refillPerSecond: 0.01 })).allowed).toBe(false);
    } finally {
      await t.close();
    }
  });
});
