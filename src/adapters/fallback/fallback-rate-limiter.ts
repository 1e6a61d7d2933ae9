import type { Logger } from '../../ports/logger.js';
import type { BucketLimit, RateDecision, RateLimiter } from '../../ports/rate-limiter.js';
import { RedisOutage } from './redis-outage.js';

/**
 * Shared Redis buckets, and per-replica buckets while Redis is down: limits stay enforced
 * (per replica, so looser by the replica count) instead of failing every request.
 */
export class FallbackRateLimiter implements RateLimiter {
  private readonly outage: RedisOutage;

  constructor(
    private readonly redis: RateLimiter,
    private readonly local: RateLimiter,
    logger?: Logger,
  ) {
    this.outage = new RedisOutage('rate-limiter', logger);
  }

  async take(key: string, limit: BucketLimit, cost?: number): Promise<RateDecision> {
    const shared = await this.outage.attempt(() => this.redis.take(key, limit, cost));
    return shared?.value ?? this.local.take(key, limit, cost);
  }
}
