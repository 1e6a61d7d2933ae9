import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import { RedisGrantStore } from '../../../src/adapters/redis/redis-grant-store.js';
import { RedisOAuthClientStore } from '../../../src/adapters/redis/redis-oauth-client-store.js';
import { describeOAuthClientStoreContract } from '../../contracts/oauth-client-store.contract.js';
import { describeGrantStoreContract } from '../../contracts/grant-store.contract.js';
import { ManualClock } from '../../support/stores.js';

const redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: false, maxRetriesPerRequest: 1 });
const runPrefix = `test:grants:${randomBytes(6).toString('hex')}:`;

afterAll(async () => {
  const keys = await redis.keys(`${runPrefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

let n = 0;
describeGrantStoreContract({
  name: 'RedisGrantStore',
  make: async () => {
    const clock = new ManualClock();
    n += 1;
    return { store: new RedisGrantStore(redis, clock, `${runPrefix}${n}:`), advance: (ms) => clock.advance(ms), now: () => clock.now() };
  },
});

describeOAuthClientStoreContract({
  name: 'RedisOAuthClientStore',
  make: async () => {
    const clock = new ManualClock();
    n += 1;
    return { store: new RedisOAuthClientStore(redis, clock, `${runPrefix}${n}:`), advance: (ms) => clock.advance(ms), now: () => clock.now() };
  },
});
