import type { IdempotencyClaim, IdempotencyStore } from '../../ports/idempotency-store.js';
import type { Logger } from '../../ports/logger.js';
import { RedisOutage } from './redis-outage.js';

/**
 * Idempotency with DynamoDB as the single arbiter and Redis as a fast filter.
 * - `claimed` is returned only after DynamoDB's conditional put succeeded, so exactly one caller
 *   wins whether Redis is up, down, restarted empty or flapping.
 * - Redis answers repeats (`in_progress`, `completed`, `mismatch`) without touching DynamoDB.
 * - A Redis claim that DynamoDB overrules is corrected in Redis (completed result copied, or
 *   the claim released); a DynamoDB failure releases the Redis claim and propagates.
 * - complete/release write DynamoDB first, then Redis (best effort).
 */
export class FallbackIdempotencyStore implements IdempotencyStore {
  private readonly outage: RedisOutage;

  constructor(
    private readonly redis: IdempotencyStore,
    private readonly durable: IdempotencyStore,
    logger?: Logger,
  ) {
    this.outage = new RedisOutage('idempotency', logger);
  }

  async claim(key: string, fingerprint: string, ttlMs: number): Promise<IdempotencyClaim> {
    const fast = await this.outage.attempt(() => this.redis.claim(key, fingerprint, ttlMs));
    if (fast === undefined) return this.durable.claim(key, fingerprint, ttlMs);
    if (fast.value.state !== 'claimed') return fast.value;
    let decided: IdempotencyClaim;
    try {
      decided = await this.durable.claim(key, fingerprint, ttlMs);
    } catch (error) {
      await this.outage.attempt(() => this.redis.release(key, fingerprint));
      throw error;
    }
    // Redis did not know DynamoDB's state (claimed during an outage, or Redis restarted empty).
    if (decided.state === 'completed')
      await this.outage.attempt(() => this.redis.complete(key, fingerprint, decided.result, ttlMs));
    if (decided.state === 'mismatch') await this.outage.attempt(() => this.redis.release(key, fingerprint));
    return decided;
  }

  async complete(key: string, fingerprint: string, result: string, ttlMs: number): Promise<void> {
    await this.durable.complete(key, fingerprint, result, ttlMs);
    await this.outage.attempt(() => this.redis.complete(key, fingerprint, result, ttlMs));
  }

  async release(key: string, fingerprint: string): Promise<void> {
    await this.durable.release(key, fingerprint);
    await this.outage.attempt(() => this.redis.release(key, fingerprint));
  }
}
