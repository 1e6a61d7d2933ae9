import { SystemClock } from '../../../src/adapters/system/system-clock.js';
import { RedisSessionStore } from '../../../src/adapters/redis/redis-session-store.js';
import { describeSessionStoreContract } from '../../contracts/session-store.contract.js';
import { connectTestRedis } from '../../support/redis.js';

describeSessionStoreContract({
  make: async () => {
    const t = await connectTestRedis();
    let offset = 0;
    const clock = { now: (): number => new SystemClock().now() + offset };
    return {
      store: new RedisSessionStore(t.redis, clock),
      now: () => clock.now(),
      // Sessions carry their own expiresAt, checked on read: moving the clock is enough.
      advance: async (ms) => void (offset += ms),
      corrupt: async (id) => void (await t.raw.set(`${t.prefix}sess:${id}`, '{"id":')),
      close: t.close,
    };
  },
});
