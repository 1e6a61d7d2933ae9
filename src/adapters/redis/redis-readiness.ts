import type { ReadinessCheck } from '../http/readiness.js';
import type { RedisClient } from './redis-client.js';

/**
 * PINGs Redis directly (not through the breaker), so `/readyz` shows its real state. Sessions,
 * idempotency and locks fall back to DynamoDB, so a failing Redis check means "degraded", not
 * "take this replica out of service".
 */
export function redisReadinessCheck(client: RedisClient): ReadinessCheck {
  return {
    name: 'redis',
    check: async (signal: AbortSignal): Promise<void> => {
      signal.throwIfAborted();
      const reply = await Promise.race([
        client.ping(),
        new Promise<never>((_, reject) =>
          signal.addEventListener('abort', () => reject(new Error('redis ping timed out'))),
        ),
      ]);
      if (reply !== 'PONG') throw new Error(`redis answered ${String(reply)}`);
    },
  };
}
