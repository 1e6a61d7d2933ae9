import {
  bulkhead,
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  DelegateBackoff,
  handleWhen,
  BrokenCircuitError,
  BulkheadRejectedError,
  retry,
  timeout,
  TaskCancelledError,
  TimeoutStrategy,
} from 'cockatiel';
import type { BulkheadPolicy, CircuitBreakerPolicy, IRetryBackoffContext, TimeoutPolicy } from 'cockatiel';
import { DomainError, isDomainError } from '../../domain/errors.js';
import type { Cache } from '../../ports/cache.js';
import type { Clock } from '../../ports/clock.js';
import type { GraphCallContext, GraphCallPolicy, GraphFamily } from '../graph/graph-call-policy.js';
import { isOutage, isTransient, outcomeUnknown, provesNotProcessed } from './graph-failure.js';
import { NO_RESILIENCE_EVENTS, type BreakerState, type ResilienceEvents } from './resilience-events.js';
import { RetryBudget } from './retry-budget.js';
import { retryDelayMs } from './retry-delay.js';
import { backoffTarget, GRAPH_BACKOFF_SCOPES, type BackoffScope, type BackoffTarget } from './backoff-scope.js';
import { ThrottleBackoff } from './throttle-backoff.js';

/** Knobs of the policy (config.ts `ResilienceConfig` plus the default per-attempt deadline). */
export interface GraphResilienceSettings {
  concurrency: number;
  concurrencyByFamily: Record<string, number>;
  queueSize: number;
  timeoutMs: number;
  timeoutMsByFamily: Record<string, number>;
  /** Overrides of GRAPH_BACKOFF_SCOPES: whether a 429 holds back the caller's mailbox or the whole tenant. */
  backoffScopeByFamily: Partial<Record<GraphFamily, BackoffScope>>;
  retry: {
    /** Attempts in all, the first included. */
    maxAttempts: number;
    baseDelayMs: number;
    maxDelayMs: number;
    retryAfterMaxSeconds: number;
    backoffMultiplier: number;
    budget: { ratio: number; minPerSecond: number; capacity: number };
  };
  breaker: { consecutiveFailures: number; halfOpenAfterMs: number };
}

/** Values operators change at run time (feature flags); undefined means "use the configuration". */
export interface LiveTuning {
  concurrency(family: GraphFamily): number | undefined;
  backoffMultiplier(): number | undefined;
}

export interface CockatielGraphCallPolicyDeps {
  settings: GraphResilienceSettings;
  /** Shared across replicas: per-mailbox and per-tenant back-off after a 429. */
  cache: Cache;
  clock: Clock;
  tuning?: LiveTuning;
  events?: ResilienceEvents;
  random?: () => number;
}

interface FamilyPolicies {
  breaker: CircuitBreakerPolicy;
  timeout: TimeoutPolicy;
  budget: RetryBudget;
  bulkhead: BulkheadPolicy;
  bulkheadLimit: number;
}

const BREAKER_STATES: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half_open',
  [CircuitState.Isolated]: 'open',
};

/**
 * Every Graph call goes: back-off gate (the caller's mailbox or tenant, by family) → breaker (per family) → bulkhead (per family) →
 * timeout (per family), inside a retry loop with full-jitter backoff that honours Retry-After and
 * spends from a per-family retry budget. Non-idempotent calls are retried only on 429/503.
 */
export class CockatielGraphCallPolicy implements GraphCallPolicy {
  private readonly families = new Map<GraphFamily, FamilyPolicies>();
  private readonly backoff: ThrottleBackoff;
  private readonly events: ResilienceEvents;
  private readonly random: () => number;

  constructor(private readonly deps: CockatielGraphCallPolicyDeps) {
    this.events = deps.events ?? NO_RESILIENCE_EVENTS;
    this.random = deps.random ?? Math.random;
    this.backoff = new ThrottleBackoff(deps.cache, deps.clock, deps.settings.retry.retryAfterMaxSeconds * 1000, this.random);
  }

  async execute<T>(ctx: GraphCallContext, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const family = this.family(ctx.family);
    family.budget.deposit();
    const { retry: r } = this.deps.settings;
    let attempts = 0;
    const policy = retry(
      handleWhen((error) => attempts < r.maxAttempts && this.shouldRetry(ctx, family, error)),
      {
        maxAttempts: r.maxAttempts - 1,
        backoff: new DelegateBackoff((c: IRetryBackoffContext<unknown>) => {
          const error = 'error' in c.result ? c.result.error : undefined;
          const multiplier = this.deps.tuning?.backoffMultiplier() ?? r.backoffMultiplier;
          // A 429 already set the mailbox's or tenant's back-off, which admit() waits out before
          // the next attempt (for every caller it covers): only a little jitter here.
          const delayMs = !isDomainError(error)
            ? r.baseDelayMs
            : error.httpStatus === 429
              ? Math.round(this.random() * Math.min(1000, (error.retryAfterSeconds ?? 1) * 100))
              : retryDelayMs(c.attempt, error, { ...r, multiplier }, this.random);
          this.events.retry({
            family: ctx.family,
            tenantId: ctx.tenantId,
            operation: ctx.operation,
            attempt: c.attempt,
            delayMs,
            reason: isDomainError(error) ? error.code : 'unknown',
          });
          return delayMs;
        }),
      },
    );
    try {
      return await policy.execute(() => {
        attempts += 1;
        return this.attempt(ctx, family, fn);
      });
    } catch (error) {
      if (!ctx.idempotent && isDomainError(error) && isTransient(error) && !provesNotProcessed(error)) throw outcomeUnknown(error);
      throw error;
    }
  }

  private async attempt<T>(ctx: GraphCallContext, family: FamilyPolicies, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const target = this.backoffTarget(ctx);
    const event = { family: ctx.family, tenantId: ctx.tenantId, scope: target.scope };
    try {
      const waitedMs = await this.backoff.admit(target);
      if (waitedMs > 0) this.events.throttleBackoff({ ...event, waitedMs, refused: false });
    } catch (error) {
      this.events.throttleBackoff({ ...event, waitedMs: 0, refused: true });
      throw error;
    }
    const bulkheadPolicy = this.bulkheadFor(ctx.family, family);
    try {
      return await family.breaker.execute(() =>
        bulkheadPolicy.execute(async () => {
          this.reportBulkhead(ctx.family, family, bulkheadPolicy, false);
          try {
            return await family.timeout.execute((_c, signal) => fn(signal));
          } finally {
            this.reportBulkhead(ctx.family, family, bulkheadPolicy, false);
          }
        }),
      );
    } catch (error) {
      const mapped = this.translate(ctx, family, bulkheadPolicy, error);
      if (mapped.httpStatus === 429) {
        const seconds = mapped.retryAfterSeconds ?? 1;
        this.events.throttled({ family: ctx.family, tenantId: ctx.tenantId, operation: ctx.operation, retryAfterSeconds: seconds });
        await this.backoff.record(target, seconds);
      }
      throw mapped;
    }
  }

  private backoffTarget(ctx: GraphCallContext): BackoffTarget {
    return backoffTarget(this.deps.settings.backoffScopeByFamily[ctx.family] ?? GRAPH_BACKOFF_SCOPES[ctx.family], ctx);
  }

  private shouldRetry(ctx: GraphCallContext, family: FamilyPolicies, error: unknown): boolean {
    if (!isTransient(error)) return false;
    if (!ctx.idempotent && !provesNotProcessed(error)) return false;
    if (error.retryAfterSeconds !== undefined && error.retryAfterSeconds > this.deps.settings.retry.retryAfterMaxSeconds) return false;
    if (!family.budget.tryWithdraw()) {
      this.events.retryBudgetExhausted({ family: ctx.family, operation: ctx.operation });
      return false;
    }
    return true;
  }

  /** cockatiel's own failures become DomainErrors the client understands; Graph's pass through. */
  private translate(ctx: GraphCallContext, family: FamilyPolicies, bulkheadPolicy: BulkheadPolicy, error: unknown): DomainError {
    if (isDomainError(error)) return error;
    if (error instanceof BrokenCircuitError) {
      return new DomainError(
        'unavailable',
        'graph.circuitOpen',
        `Microsoft Graph is failing for ${ctx.family} right now, so calls are paused briefly. Retry in a moment.`,
        { retryAfterSeconds: Math.max(1, Math.ceil(this.deps.settings.breaker.halfOpenAfterMs / 1000)), cause: error },
      );
    }
    if (error instanceof BulkheadRejectedError) {
      this.reportBulkhead(ctx.family, family, bulkheadPolicy, true);
      return new DomainError('unavailable', 'graph.bulkheadFull', `Too many ${ctx.family} calls are waiting for Microsoft Graph. Retry in a moment.`, {
        retryAfterSeconds: 1,
        cause: error,
      });
    }
    if (error instanceof TaskCancelledError) {
      return new DomainError('timeout', 'graph.timeout', 'Microsoft Graph did not answer in time. Retry in a moment.', { cause: error });
    }
    return new DomainError('internal', 'graph.policyFailure', 'An unexpected error occurred while calling Microsoft Graph.', { cause: error });
  }

  // instanceof, not cockatiel's is*Error helpers: in 3.2.1 isTaskCancelledError tests the
  // bulkhead flag, so a full bulkhead would count as a timeout and trip the breaker.
  private family(name: GraphFamily): FamilyPolicies {
    let policies = this.families.get(name);
    if (policies) return policies;
    const s = this.deps.settings;
    const breaker = circuitBreaker(
      handleWhen((error) => isOutage(error) || error instanceof TaskCancelledError),
      { halfOpenAfter: s.breaker.halfOpenAfterMs, breaker: new ConsecutiveBreaker(s.breaker.consecutiveFailures) },
    );
    breaker.onStateChange((state) => this.events.breakerStateChanged({ family: name, state: BREAKER_STATES[state] }));
    const limit = this.concurrencyOf(name);
    policies = {
      breaker,
      // abortOnReturn off: an attempt that has returned has nothing left to cancel, and aborting its
      // signal anyway built a DOMException and ran the fetch's abort listeners on every Graph call.
      timeout: timeout(s.timeoutMsByFamily[name] ?? s.timeoutMs, { strategy: TimeoutStrategy.Aggressive, abortOnReturn: false }),
      budget: new RetryBudget(s.retry.budget, this.deps.clock),
      bulkhead: bulkhead(limit, s.queueSize),
      bulkheadLimit: limit,
    };
    this.families.set(name, policies);
    return policies;
  }

  /**
   * cockatiel bulkheads have a fixed size, so a live change of concurrency swaps in a new one:
   * calls already admitted finish on the old one, new calls queue on the new one.
   */
  private bulkheadFor(name: GraphFamily, family: FamilyPolicies): BulkheadPolicy {
    const limit = this.concurrencyOf(name);
    if (limit !== family.bulkheadLimit) {
      family.bulkhead = bulkhead(limit, this.deps.settings.queueSize);
      family.bulkheadLimit = limit;
    }
    return family.bulkhead;
  }

  private concurrencyOf(name: GraphFamily): number {
    const s = this.deps.settings;
    return this.deps.tuning?.concurrency(name) ?? s.concurrencyByFamily[name] ?? s.concurrency;
  }

  private reportBulkhead(name: GraphFamily, family: FamilyPolicies, policy: BulkheadPolicy, rejected: boolean): void {
    const limit = policy === family.bulkhead ? family.bulkheadLimit : undefined;
    if (limit === undefined) return;
    this.events.bulkhead({
      family: name,
      inFlight: limit - policy.executionSlots,
      queued: this.deps.settings.queueSize - policy.queueSlots,
      rejected,
    });
  }

  /** Breaker state per family that has seen traffic (for readiness pages and tests). */
  breakerStates(): Partial<Record<GraphFamily, BreakerState>> {
    const out: Partial<Record<GraphFamily, BreakerState>> = {};
    for (const [name, policies] of this.families) out[name] = BREAKER_STATES[policies.breaker.state];
    return out;
  }
}
