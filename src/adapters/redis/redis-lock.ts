import { randomUUID } from 'node:crypto';
import type { Lock, LockLease } from '../../ports/lock.js';
import { defineScript } from './redis-client.js';
import type { GuardedRedis } from './guarded-redis.js';

// Compare-and-delete: only the owner's token unlocks.
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/** A lease under `lock:<key>`: SET NX PX with a random owner token, released by compare-and-delete. */
export class RedisLock implements Lock {
  private readonly releaseScript;

  constructor(private readonly redis: GuardedRedis) {
    this.releaseScript = defineScript(redis.client, 'm365LockRelease', RELEASE, 1);
  }

  async tryAcquire(key: string, ttlMs: number): Promise<LockLease | null> {
    const owner = randomUUID();
    const redisKey = `lock:${key}`;
    const reply = await this.redis.run('lock acquire', (c) =>
      c.set(redisKey, owner, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX'),
    );
    if (reply !== 'OK') return null;
    return {
      release: async (): Promise<void> => {
        await this.redis.run('lock release', () => this.releaseScript(redisKey, owner));
      },
    };
  }
}
