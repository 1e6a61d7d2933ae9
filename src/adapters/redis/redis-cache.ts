import type { Cache } from '../../ports/cache.js';
import type { GuardedRedis } from './guarded-redis.js';

/** Shared cache in Redis under `cache:<key>`; values are opaque strings the caller already sealed. */
export class RedisCache implements Cache {
  constructor(private readonly redis: GuardedRedis) {}

  async get(key: string): Promise<string | null> {
    return this.redis.run('cache get', (c) => c.get(`cache:${key}`));
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.redis.run('cache set', (c) =>
      c.set(`cache:${key}`, value, 'PX', Math.max(1, Math.ceil(ttlMs))),
    );
  }

  async delete(key: string): Promise<void> {
    await this.redis.run('cache delete', (c) => c.del(`cache:${key}`));
  }
}
