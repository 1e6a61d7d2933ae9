import { describe, expect, it } from 'vitest';
import { createRedisClient } from '../../../src/adapters/redis/redis-client.js';
import { redisReadinessCheck } from '../../../src/adapters/redis/redis-readiness.js';
import { connectTestRedis } from '../../support/redis.js';
import { freePort } from '../../support/redis-server.js';

describe('redisReadinessCheck', () => {
  it('passes against a live Redis and fails with a message against a dead one', async () => {
    const live = await connectTestRedis();
    await expect(
      redisReadinessCheck(live.redis.client).check(AbortSignal.timeout(1_000)),
    ).resolves.toBeUndefined();
    await live.close();
    const dead = createRedisClient({ url: `redis://127.0.0.1:${await freePort()}`, keyPrefix: 'x:' });
    await expect(redisReadinessCheck(dead).check(AbortSignal.timeout(1_000))).rejects.toThrow();
    dead.disconnect();
  });
});
