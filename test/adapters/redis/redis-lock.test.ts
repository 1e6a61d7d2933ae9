import { RedisLock } from '../../../src/adapters/redis/redis-lock.js';
import { describeLockContract } from '../../contracts/lock.contract.js';
import { connectTestRedis, sleep } from '../../support/redis.js';

describeLockContract({
  make: async () => {
    const t = await connectTestRedis();
    return { lock: new RedisLock(t.redis), advance: sleep, close: t.close };
  },
});
