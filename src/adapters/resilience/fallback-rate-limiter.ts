import { isDomainError } from '../../domain/errors.js';
import type { BucketLimit, RateDecision, RateLimiter } from '../../ports/rate-limiter.js';

/**
 * The shared limiter (Redis) with a per-replica one behind it: when the shared store is
 * `unavailable`, limits are still enforced, per replica, instead of failing every call or none.
 */
export class FallbackRateLimiter implements RateLimiter {
  constructor(
    private readonly shared: RateLimiter,
    private readonly local: RateLimiter,
    private readonly onFallback: (reason: string) => void = () => undefined,
  ) {}

  async take(key: string, limit: BucketLimit, cost?: number): Promise<RateDecision> {
    try {
      return await this.shared.take(key, limit, cost);
    } catch (error) {
      if (!isDomainError(error) || error.category !== 'unavailable') throw error;
      this.onFallback(error.code);
      return this.local.take(key, limit, cost);
    }
  }
}
