import { RedisUploadSessionStore } from '../../../src/adapters/redis/redis-upload-session-store.js';
import { describeUploadSessionStoreContract } from '../../contracts/upload-session-store.contract.js';
import { connectTestRedis } from '../../support/redis.js';

describeUploadSessionStoreContract({
  make: async () => {
    const t = await connectTestRedis();
    let offset = 0;
    const clock = { now: (): number => Date.now() + offset };
    return {
      store: new RedisUploadSessionStore(t.redis, clock),
      now: () => clock.now(),
      // Records expire by Redis TTL; moving the clock shortens the TTL of later writes only, so
      // expiry is checked by rewriting the key's TTL to what the clock says is left.
      advance: async (ms) => {
        offset += ms;
        for (const k of await t.raw.keys(`${t.prefix}upl:*`)) {
          const left = await t.raw.pttl(k);
          if (left > ms) await t.raw.pexpire(k, left - ms);
          else await t.raw.del(k);
        }
      },
      close: t.close,
    };
  },
});
