import { DomainError } from '../../domain/errors.js';
import type { BucketLimit, RateDecision } from '../../ports/rate-limiter.js';

export interface BucketState {
  tokens: number;
  updatedAt: number;
}

/** Rejects limits that would make a bucket meaningless; these are programming errors. */
export function assertValidLimit(limit: BucketLimit, cost: number): void {
  if (!(limit.capacity > 0) || !(limit.refillPerSecond > 0) || !(cost > 0)) {
    throw new DomainError(
      'internal',
      'ratelimit.invalidLimit',
      'Rate limit capacity, refill and cost must be positive.',
    );
  }
}

/** Seconds until `missing` tokens have refilled, rounded up to whole seconds (Retry-After). */
export function retryAfterSeconds(missing: number, refillPerSecond: number): number {
  return Math.max(1, Math.ceil(missing / refillPerSecond));
}

/**
 * The token-bucket step shared by the in-process limiter; the Redis limiter runs the same
 * arithmetic in Lua so both behave alike.
 */
export function takeFromBucket(
  previous: BucketState | null,
  limit: BucketLimit,
  cost: number,
  now: number,
): { tokens: number; decision: RateDecision } {
  assertValidLimit(limit, cost);
  const elapsedSeconds = previous === null ? 0 : Math.max(0, now - previous.updatedAt) / 1000;
  const available =
    previous === null
      ? limit.capacity
      : Math.min(limit.capacity, previous.tokens + elapsedSeconds * limit.refillPerSecond);
  if (available >= cost)
    return { tokens: available - cost, decision: { allowed: true, retryAfterSeconds: 0 } };
  return {
    tokens: available,
    decision: {
      allowed: false,
      retryAfterSeconds: retryAfterSeconds(cost - available, limit.refillPerSecond),
    },
  };
}
