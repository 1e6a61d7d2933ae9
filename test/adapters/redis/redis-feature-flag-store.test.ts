import {
  RedisFeatureFlagStore,
  REDIS_FLAGS_KEY,
} from '../../../src/adapters/redis/redis-feature-flag-store.js';
import { describeFeatureFlagStoreContract } from '../../contracts/feature-flag-store.contract.js';
import { connectTestRedis } from '../../support/redis.js';

describeFeatureFlagStoreContract({
  make: async () => {
    const t = await connectTestRedis();
    return {
      store: new RedisFeatureFlagStore(t.redis),
      corrupt: async () => void (await t.raw.set(`${t.prefix}${REDIS_FLAGS_KEY}`, '{"disabled":[1]}')),
      close: t.close,
    };
  },
});
