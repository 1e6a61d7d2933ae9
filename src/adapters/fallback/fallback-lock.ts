import type { Lock, LockLease } from '../../ports/lock.js';
import type { Logger } from '../../ports/logger.js';
import { RedisOutage } from './redis-outage.js';

/**
 * Every holder holds the DynamoDB lease, so mutual exclusion survives a Redis outage and a
 * replica that cannot see Redis while others can. When Redis is up it is taken first and turns
 * contenders away without a DynamoDB write; when it is down the DynamoDB lease alone decides.
 */
export class FallbackLock implements Lock {
  private readonly outage: RedisOutage;

  constructor(
    private readonly redis: Lock,
    private readonly durable: Lock,
    logger?: Logger,
  ) {
    this.outage = new RedisOutage('lock', logger);
  }

  async tryAcquire(key: string, ttlMs: number): Promise<LockLease | null> {
    const fast = await this.outage.attempt(() => this.redis.tryAcquire(key, ttlMs));
    if (fast === undefined) return this.durable.tryAcquire(key, ttlMs);
    const redisLease = fast.value;
    if (redisLease === null) return null;
    let durableLease: LockLease | null;
    try {
      durableLease = await this.durable.tryAcquire(key, ttlMs);
    } catch (error) {
      await this.outage.attempt(() => redisLease.release());
      throw error;
    }
    if (durableLease === null) {
      await this.outage.attempt(() => redisLease.release());
      return null;
    }
    const held = durableLease;
    return {
      release: async (): Promise<void> => {
        await held.release();
        await this.outage.attempt(() => redisLease.release());
      },
    };
  }
}
