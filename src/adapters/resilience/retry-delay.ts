import type { DomainError } from '../../domain/errors.js';

export interface RetryDelayOptions {
  baseDelayMs: number;
  maxDelayMs: number;
  /** Live tuning: operators raise it to slow retries down during an incident. */
  multiplier: number;
}

/**
 * Exponential backoff with full jitter (random in [0, min(cap, base·2^(n-1))]), scaled by the
 * multiplier, but never shorter than Graph's Retry-After, which gets a little jitter of its own
 * (≤10%, ≤1 s) so callers released together do not return in lockstep.
 */
export function retryDelayMs(attempt: number, error: DomainError, options: RetryDelayOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const backoff = random() * ceiling * options.multiplier;
  if (error.retryAfterSeconds === undefined) return Math.round(backoff);
  const retryAfterMs = error.retryAfterSeconds * 1000;
  return Math.round(Math.max(backoff, retryAfterMs + random() * Math.min(1000, retryAfterMs * 0.1)));
}
