import type { GraphFamily } from '../graph/graph-call-policy.js';
import type { BackoffScope } from './backoff-scope.js';

/** Where a breaker stands; mirrors cockatiel's states without leaking its enum. */
export type BreakerState = 'closed' | 'open' | 'half_open';

/**
 * Hook points for telemetry (metrics, spans, logs). Every method is optional to implement via
 * NO_RESILIENCE_EVENTS; implementations must be cheap and must not throw.
 */
export interface ResilienceEvents {
  /** A Graph attempt failed and will be retried after `delayMs` (time spent in backoff). */
  retry(e: { family: GraphFamily; tenantId: string; operation: string; attempt: number; delayMs: number; reason: string }): void;
  /** A retry was wanted but the family's retry budget was empty. */
  retryBudgetExhausted(e: { family: GraphFamily; operation: string }): void;
  /** Graph answered 429: the caller's mailbox or tenant (by family) backs off for `retryAfterSeconds` on every replica. */
  throttled(e: { family: GraphFamily; tenantId: string; operation: string; retryAfterSeconds: number }): void;
  /** A call waited (`waitedMs` > 0) or was refused (`refused`) because its mailbox or tenant is backing off. */
  throttleBackoff(e: { family: GraphFamily; tenantId: string; scope: BackoffScope; waitedMs: number; refused: boolean }): void;
  breakerStateChanged(e: { family: GraphFamily; state: BreakerState }): void;
  /** Calls running and queued in a family's bulkhead, after each admission or completion. */
  bulkhead(e: { family: GraphFamily; inFlight: number; queued: number; rejected: boolean }): void;
  /** An incoming tool call was refused by our own rate limit. */
  rateLimited(e: { scope: 'tenant' | 'user'; tenantId: string; tool: string; retryAfterSeconds: number }): void;
  /** The shared rate limiter failed (Redis down) and this replica counted locally instead. */
  rateLimiterFallback(e: { reason: string }): void;
  /** The feature-flag snapshot changed (or failed to refresh). */
  flagsRefreshed(e: { changed: boolean; error?: string }): void;
}

const noop = (): void => undefined;

export const NO_RESILIENCE_EVENTS: ResilienceEvents = {
  retry: noop,
  retryBudgetExhausted: noop,
  throttled: noop,
  throttleBackoff: noop,
  breakerStateChanged: noop,
  bulkhead: noop,
  rateLimited: noop,
  rateLimiterFallback: noop,
  flagsRefreshed: noop,
};
