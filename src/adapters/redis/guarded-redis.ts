import { BrokenCircuitError, circuitBreaker, CircuitState, ConsecutiveBreaker, handleWhen } from 'cockatiel';
import type { CircuitBreakerPolicy } from 'cockatiel';
import { DomainError, isDomainError } from '../../domain/errors.js';
import { timedStoreOp, type StoreOpObserver } from '../shared/timed-store-op.js';
import type { RedisClient } from './redis-client.js';

export interface RedisBreakerOptions {
  /** Consecutive failures that open the circuit. */
  consecutiveFailures?: number;
  /** How long the circuit stays open before one probe is let through. */
  halfOpenAfterMs?: number;
  /** Told about every command that reached Redis (not those the open circuit refused): latency and failure name. */
  observe?: StoreOpObserver;
}

/**
 * A Redis client behind a circuit breaker: after repeated failures calls fail at once with
 * `unavailable` instead of each waiting for a timeout, so callers can fall back; a probe after
 * `halfOpenAfterMs` closes the circuit again when Redis is back.
 */
export class GuardedRedis {
  private readonly breaker: CircuitBreakerPolicy;
  private readonly observe: RedisBreakerOptions['observe'];

  constructor(
    readonly client: RedisClient,
    options: RedisBreakerOptions = {},
  ) {
    this.observe = options.observe;
    this.breaker = circuitBreaker(
      handleWhen((error) => !isDomainError(error)),
      {
        halfOpenAfter: options.halfOpenAfterMs ?? 1_000,
        breaker: new ConsecutiveBreaker(options.consecutiveFailures ?? 3),
      },
    );
  }

  /** True while calls are being refused without trying Redis. */
  get isOpen(): boolean {
    return this.breaker.state === CircuitState.Open || this.breaker.state === CircuitState.Isolated;
  }

  async run<T>(operation: string, call: (client: RedisClient) => Promise<T>): Promise<T> {
    try {
      return await this.breaker.execute(() => this.attempt(operation, call));
    } catch (error) {
      if (isDomainError(error)) throw error;
      const message =
        error instanceof BrokenCircuitError
          ? 'Redis is unavailable (circuit open).'
          : `Redis ${operation} failed.`;
      throw new DomainError('unavailable', 'redis.unavailable', message, { cause: error });
    }
  }

  private attempt<T>(operation: string, call: (client: RedisClient) => Promise<T>): Promise<T> {
    return timedStoreOp(this.observe, operation, () => call(this.client), redisFailureName);
  }
}

/** ioredis raises plain Errors; name the common cases so the metric tag is useful. */
function redisFailureName(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown';
  if (/timed out/i.test(error.message)) return 'timeout';
  if (/writeable|not connected|connection is closed/i.test(error.message)) return 'not_connected';
  const code = (error as Error & { code?: unknown }).code;
  if (typeof code === 'string') return code;
  return error.name === 'Error' ? 'error' : error.name;
}
