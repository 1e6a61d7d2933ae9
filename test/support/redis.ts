import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { GuardedRedis } from '../../src/adapters/redis/guarded-redis.js';
import type { RedisBreakerOptions } from '../../src/adapters/redis/guarded-redis.js';
import { createRedisClient, waitForRedis } from '../../src/adapters/redis/redis-client.js';

export const MACHINE_REDIS_URL = 'redis://127.0.0.1:6379';

export interface TestRedis {
  redis: GuardedRedis;
  /** A client without the prefix, for planting raw data (keys must include `prefix`). */
  raw: Redis;
  prefix: string;
  close(): Promise<void>;
}

/** A connection to the machine's Redis under a key prefix unique to this run; close() removes its keys. */
export async function connectTestRedis(
  url = MACHINE_REDIS_URL,
  breaker: RedisBreakerOptions = {},
): Promise<TestRedis> {
  const prefix = `test:${randomUUID()}:`;
  const client = createRedisClient({ url, keyPrefix: prefix, commandTimeoutMs: 1_000 });
  const raw = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 1 });
  await waitForRedis(client, 5_000);
  return {
    redis: new GuardedRedis(client, breaker),
    raw,
    prefix,
    close: async (): Promise<void> => {
      const keys = await raw.keys(`${prefix}*`).catch(() => []);
      if (keys.length > 0) await raw.del(...keys).catch(() => 0);
      client.disconnect();
      raw.disconnect();
    },
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
