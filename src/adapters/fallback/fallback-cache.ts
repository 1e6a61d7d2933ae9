import type { Cache } from '../../ports/cache.js';
import type { Logger } from '../../ports/logger.js';
import { RedisOutage } from './redis-outage.js';

/** The Redis cache, bypassed while Redis is down: reads miss, writes are skipped. */
export class FallbackCache implements Cache {
  private readonly outage: RedisOutage;

  constructor(
    private readonly redis: Cache,
    logger?: Logger,
  ) {
    this.outage = new RedisOutage('cache', logger);
  }

  async get(key: string): Promise<string | null> {
    return (await this.outage.attempt(() => this.redis.get(key)))?.value ?? null;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.outage.attempt(() => this.redis.set(key, value, ttlMs));
  }

  async delete(key: string): Promise<void> {
    await this.outage.attempt(() => this.redis.delete(key));
  }
}
