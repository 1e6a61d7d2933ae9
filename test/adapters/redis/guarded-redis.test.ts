import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GuardedRedis } from '../../../src/adapters/redis/guarded-redis.js';
import { createRedisClient, waitForRedis } from '../../../src/adapters/redis/redis-client.js';
import { RedisCache } from '../../../src/adapters/redis/redis-cache.js';
import { sleep } from '../../support/redis.js';
import { freePort, startOwnedRedis } from '../../support/redis-server.js';
import type { OwnedRedis } from '../../support/redis-server.js';

let server: OwnedRedis;
beforeAll(async () => {
  server = await startOwnedRedis();
});
afterAll(async () => server.stop());

const UNAVAILABLE = { category: 'unavailable', code: 'redis.unavailable', retryable: true };

describe('GuardedRedis', () => {
  it('fails at once with unavailable when nothing listens, then opens the circuit', async () => {
    const redis = new GuardedRedis(
      createRedisClient({ url: `redis://127.0.0.1:${await freePort()}`, keyPrefix: 'x:' }),
      {
        consecutiveFailures: 2,
        halfOpenAfterMs: 10_000,
      },
    );
    const cache = new RedisCache(redis);
    await expect(cache.get('k')).rejects.toMatchObject(UNAVAILABLE);
    await expect(cache.get('k')).rejects.toMatchObject(UNAVAILABLE);
    expect(redis.isOpen).toBe(true);
    await expect(cache.get('k')).rejects.toMatchObject({
      ...UNAVAILABLE,
      message: expect.stringContaining('circuit open'),
    });
    redis.client.disconnect();
  });

  it('times out against a frozen Redis instead of stalling, and closes again once it answers', async () => {
    const client = createRedisClient({ url: server.url, keyPrefix: 'g:', commandTimeoutMs: 150 });
    await waitForRedis(client, 5_000);
    const redis = new GuardedRedis(client, { consecutiveFailures: 2, halfOpenAfterMs: 200 });
    const cache = new RedisCache(redis);
    await cache.set('k', 'v', 60_000);
    server.pause();
    try {
      for (let i = 0; i < 2; i += 1) await expect(cache.get('k')).rejects.toMatchObject(UNAVAILABLE);
      expect(redis.isOpen).toBe(true);
    } finally {
      server.resume();
    }
    await sleep(300);
    expect(await cache.get('k')).toBe('v');
    expect(redis.isOpen).toBe(false);
    client.disconnect();
  });

  it('reports each command that reached Redis to the observer, and not those the open circuit refused', async () => {
    const seen: Array<{ operation: string; error?: string }> = [];
    const observe = (operation: string, _ms: number, error?: string): void => void seen.push(error === undefined ? { operation } : { operation, error });
    const live = createRedisClient({ url: server.url, keyPrefix: 'o:' });
    await waitForRedis(live, 5_000);
    await new RedisCache(new GuardedRedis(live, { observe })).get('k');
    expect(seen).toEqual([{ operation: 'cache get' }]);
    live.disconnect();

    seen.length = 0;
    const dead = new GuardedRedis(createRedisClient({ url: `redis://127.0.0.1:${await freePort()}`, keyPrefix: 'o:' }), {
      consecutiveFailures: 1,
      halfOpenAfterMs: 10_000,
      observe,
    });
    await expect(new RedisCache(dead).get('k')).rejects.toMatchObject(UNAVAILABLE);
    await expect(new RedisCache(dead).get('k')).rejects.toMatchObject(UNAVAILABLE);
    expect(seen).toEqual([{ operation: 'cache get', error: 'not_connected' }]);
    dead.client.disconnect();
  });
});
