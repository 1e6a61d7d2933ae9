import { describe, expect, it } from 'vitest';
import { InMemoryRateLimiter } from '../../../src/adapters/memory/in-memory-rate-limiter.js';
import { GuardedRedis } from '../../../src/adapters/redis/guarded-redis.js';
import { createRedisClient } from '../../../src/adapters/redis/redis-client.js';
import { RedisRateLimiter } from '../../../src/adapters/redis/redis-rate-limiter.js';
import { FallbackRateLimiter } from '../../../src/adapters/resilience/fallback-rate-limiter.js';

describe('FallbackRateLimiter', () => {
  it('keeps enforcing limits per replica when Redis is unreachable', async () => {
    // Nothing listens on port 1: every Redis command fails fast.
    const client = createRedisClient({ url: 'redis://127.0.0.1:1', keyPrefix: 'test:', connectTimeoutMs: 200, commandTimeoutMs: 200 });
    const reasons: string[] = [];
    const limiter = new FallbackRateLimiter(new RedisRateLimiter(new GuardedRedis(client)), new InMemoryRateLimiter({ now: () => Date.now() }), (r) => reasons.push(r));
    const limit = { capacity: 3, refillPerSecond: 0.001 };
    const decisions = [];
    for (let i = 0; i < 5; i++) decisions.push(await limiter.take('tenant:t1', limit));
    client.disconnect();
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false, false]);
    expect(decisions[3]!.retryAfterSeconds).toBeGreaterThan(0);
    expect(reasons.length).toBe(5);
    expect(reasons[0]).toBe('redis.unavailable');
  });
});
