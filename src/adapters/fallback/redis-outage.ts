import { isDomainError } from '../../domain/errors.js';
import type { Logger } from '../../ports/logger.js';

/** True for the failure the Redis adapters raise when Redis is unreachable or its circuit is open. */
export function isRedisDown(error: unknown): boolean {
  return isDomainError(error) && error.category === 'unavailable' && error.code === 'redis.unavailable';
}

/**
 * Runs Redis calls for a fallback composite: a Redis outage becomes `undefined` (the caller falls
 * back) and is logged once per transition, not once per request; any other error propagates.
 */
export class RedisOutage {
  private down = false;

  constructor(
    private readonly component: string,
    private readonly logger?: Logger,
  ) {}

  /** The result of `call`, or `undefined` when Redis is down. */
  async attempt<T>(call: () => Promise<T>): Promise<{ value: T } | undefined> {
    try {
      const value = await call();
      if (this.down) {
        this.down = false;
        this.logger?.info('redis back; traffic returns to redis', { component: this.component });
      }
      return { value };
    } catch (error) {
      if (!isRedisDown(error)) throw error;
      if (!this.down) {
        this.down = true;
        this.logger?.warn('redis unavailable; falling back', {
          component: this.component,
          reason: (error as Error).message,
        });
      }
      return undefined;
    }
  }
}
