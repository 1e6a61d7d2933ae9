import { SystemClock } from '../../../src/adapters/system/system-clock.js';
import { RedisIdempotencyStore } from '../../../src/adapters/redis/redis-idempotency-store.js';
import { describeIdempotencyStoreContract } from '../../contracts/idempotency-store.contract.js';
import { connectTestRedis, sleep } from '../../support/redis.js';

describeIdempotencyStoreContract({
  make: async () => {
    const t = await connectTestRedis();
    return {
      store: new RedisIdempotencyStore(t.redis, new SystemClock()),
      advance: sleep,
      corrupt: async (key) => void (await t.raw.set(`${t.prefix}idem:${key}`, '[1,2')),
      close: t.close,
    };
  },
});
