import { RedisCache } from '../../../src/adapters/redis/redis-cache.js';
import { describeCacheContract } from '../../contracts/cache.contract.js';
import { connectTestRedis, sleep } from '../../support/redis.js';

describeCacheContract({
  make: async () => {
    const t = await connectTestRedis();
    return { cache: new RedisCache(t.redis), advance: sleep, close: t.close };
  },
});
