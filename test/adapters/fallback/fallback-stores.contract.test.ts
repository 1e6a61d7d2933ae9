import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe } from 'vitest';
import { DynamoGrantStore } from '../../../src/adapters/dynamo/dynamo-grant-store.js';
import { DynamoIdempotencyStore } from '../../../src/adapters/dynamo/dynamo-idempotency-store.js';
import { DynamoLock } from '../../../src/adapters/dynamo/dynamo-lock.js';
import { DynamoSessionStore } from '../../../src/adapters/dynamo/dynamo-session-store.js';
import { FallbackCache } from '../../../src/adapters/fallback/fallback-cache.js';
import { FallbackGrantStore } from '../../../src/adapters/fallback/fallback-grant-store.js';
import { FallbackIdempotencyStore } from '../../../src/adapters/fallback/fallback-idempotency-store.js';
import { FallbackLock } from '../../../src/adapters/fallback/fallback-lock.js';
import { FallbackRateLimiter } from '../../../src/adapters/resilience/fallback-rate-limiter.js';
import { FallbackSessionStore } from '../../../src/adapters/fallback/fallback-session-store.js';
import { InMemoryRateLimiter } from '../../../src/adapters/memory/in-memory-rate-limiter.js';
import { ManualClock } from '../../../src/adapters/memory/manual-clock.js';
import { SystemClock } from '../../../src/adapters/system/system-clock.js';
import { GuardedRedis } from '../../../src/adapters/redis/guarded-redis.js';
import { RedisCache } from '../../../src/adapters/redis/redis-cache.js';
import { RedisGrantStore } from '../../../src/adapters/redis/redis-grant-store.js';
import { createRedisClient } from '../../../src/adapters/redis/redis-client.js';
import { RedisIdempotencyStore } from '../../../src/adapters/redis/redis-idempotency-store.js';
import { RedisLock } from '../../../src/adapters/redis/redis-lock.js';
import { RedisRateLimiter } from '../../../src/adapters/redis/redis-rate-limiter.js';
import { RedisSessionStore } from '../../../src/adapters/redis/redis-session-store.js';
import { describeCacheContract } from '../../contracts/cache.contract.js';
import { describeGrantStoreContract } from '../../contracts/grant-store.contract.js';
import { describeIdempotencyStoreContract } from '../../contracts/idempotency-store.contract.js';
import { describeLockContract } from '../../contracts/lock.contract.js';
import { describeRateLimiterContract } from '../../contracts/rate-limiter.contract.js';
import { describeSessionStoreContract } from '../../contracts/session-store.contract.js';
import { makeTestTable, makeTestTables, startDynalite } from '../../support/dynamo.js';
import type { Emulator, TestTables } from '../../support/dynamo.js';
import { connectTestRedis, sleep } from '../../support/redis.js';
import type { TestRedis } from '../../support/redis.js';
import { freePort } from '../../support/redis-server.js';

let emulator: Emulator;
let tables: TestTables;
let deadRedis: GuardedRedis;
beforeAll(async () => {
  emulator = await startDynalite();
  tables = await makeTestTables(emulator.endpoint);
  // Nothing listens here: every command fails at once, as with a Redis that went away.
  deadRedis = new GuardedRedis(
    createRedisClient({ url: `redis://127.0.0.1:${await freePort()}`, keyPrefix: 'dead:' }),
  );
});
/** Cleanups for contracts whose harness has no close(). */
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
  deadRedis.client.disconnect();
  await emulator.close();
});

interface RedisSide {
  redis: GuardedRedis;
  /** Plants a raw value under a key (after the prefix); a no-op when Redis is down. */
  plant(key: string, value: string): Promise<void>;
  close(): Promise<void>;
}

const up = async (): Promise<RedisSide> => {
  const t: TestRedis = await connectTestRedis();
  return {
    redis: t.redis,
    plant: async (key, value) => void (await t.raw.set(`${t.prefix}${key}`, value)),
    close: t.close,
  };
};
const down = async (): Promise<RedisSide> => ({
  redis: deadRedis,
  plant: async () => undefined,
  close: async () => undefined,
});

/** Redis up (the machine's Redis) or down (nothing listening). */
const modes: [string, () => Promise<RedisSide>][] = [
  ['with Redis up', up],
  ['with Redis down', down],
];

// A bypassed cache misses by design, so the cache contract runs with Redis up only;
// the bypass itself is tested in redis-failover.test.ts.
describe('fallback cache with Redis up', () => {
  describeCacheContract({
    make: async () => {
      const r = await up();
      return { cache: new FallbackCache(new RedisCache(r.redis)), advance: sleep, close: r.close };
    },
  });
});

for (const [mode, connect] of modes) {
  describe(`fallback stores ${mode}`, () => {
    describeSessionStoreContract({
      make: async () => {
        const r = await connect();
        let offset = 0;
        const clock = { now: (): number => Date.now() + offset };
        return {
          store: new FallbackSessionStore(
            new RedisSessionStore(r.redis, clock, { ttlCapMs: 60_000 }),
            new DynamoSessionStore(tables.executor, tables.names.sessions, clock),
          ),
          now: () => clock.now(),
          advance: async (ms) => void (offset += ms),
          corrupt: async (id) => {
            await r.plant(`sess:${id}`, 'garbage');
            await tables.client.send(
              new PutItemCommand({
                TableName: tables.names.sessions,
                Item: { pk: { S: id }, data: { S: 'garbage' } },
              }),
            );
          },
          close: r.close,
        };
      },
    });

    describeIdempotencyStoreContract({
      make: async () => {
        const r = await connect();
        const clock = new SystemClock();
        return {
          store: new FallbackIdempotencyStore(
            new RedisIdempotencyStore(r.redis, clock),
            new DynamoIdempotencyStore(tables.executor, tables.names.idempotency, clock),
          ),
          advance: sleep,
          corrupt: async (key) => {
            await r.plant(`idem:${key}`, 'garbage');
            await tables.client.send(
              new PutItemCommand({
                TableName: tables.names.idempotency,
                Item: { pk: { S: key }, state: { N: '1' } },
              }),
            );
          },
          close: r.close,
        };
      },
    });

    describeLockContract({
      make: async () => {
        const r = await connect();
        return {
          lock: new FallbackLock(
            new RedisLock(r.redis),
            new DynamoLock(tables.executor, tables.names.locks, new SystemClock()),
          ),
          advance: sleep,
          close: r.close,
        };
      },
    });

    describeGrantStoreContract({
      name: `FallbackGrantStore ${mode}`,
      make: async () => {
        const r = await connect();
        closers.push(r.close);
        // A fresh oauth table per case: the contract reuses ids across cases.
        const oauth = await makeTestTable(emulator.endpoint, 'oauth');
        const clock = new ManualClock(Date.now());
        return {
          store: new FallbackGrantStore(
            new RedisGrantStore(r.redis, clock, { ttlCapMs: 60_000 }),
            new DynamoGrantStore(oauth.executor, oauth.names.oauth, clock),
          ),
          advance: (ms) => clock.advance(ms),
          now: () => clock.now(),
        };
      },
    });

    describeRateLimiterContract({
      make: async () => {
        const r = await connect();
        return {
          limiter: new FallbackRateLimiter(
            new RedisRateLimiter(r.redis),
            new InMemoryRateLimiter(new SystemClock()),
          ),
          advance: sleep,
          close: r.close,
        };
      },
    });
  });
}
