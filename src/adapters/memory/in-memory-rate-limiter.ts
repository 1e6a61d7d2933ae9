import type { Clock } from '../../ports/clock.js';
import type { BucketLimit, RateDecision, RateLimiter } from '../../ports/rate-limiter.js';
import { takeFromBucket } from '../shared/token-bucket.js';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Per-process token buckets, bounded by key count (the oldest key goes first when full). */
export class InMemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly clock: Clock,
    private readonly maxKeys = 100_000,
  ) {}

  async take(key: string, limit: BucketLimit, cost = 1): Promise<RateDecision> {
    const now = this.clock.now();
    const previous = this.buckets.get(key);
    const outcome = takeFromBucket(previous ?? null, limit, cost, now);
    this.buckets.delete(key);
    if (this.buckets.size >= this.maxKeys) {
      const oldest = this.buckets.keys().next();
      if (oldest.done !== true) this.buckets.delete(oldest.value);
    }
    this.buckets.set(key, { tokens: outcome.tokens, updatedAt: now });
    return outcome.decision;
  }
}
