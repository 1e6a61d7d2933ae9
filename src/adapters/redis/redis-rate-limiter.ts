import type { BucketLimit, RateDecision, RateLimiter } from '../../ports/rate-limiter.js';
import { assertValidLimit, retryAfterSeconds } from '../shared/token-bucket.js';
import { defineScript } from './redis-client.js';
import type { GuardedRedis } from './guarded-redis.js';

// KEYS[1] bucket hash; ARGV capacity, refill/s, cost. Time comes from the Redis server so replicas
// with skewed clocks share one timeline. Unreadable state reads as a full bucket.
// Returns {allowed 0|1, missing tokens as a string} (Lua numbers would be truncated to integers).
const TAKE = `
local capacity = tonumber(ARGV[1])
local refill = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1])
local ts = tonumber(state[2])
if tokens == nil or ts == nil then tokens = capacity; ts = now end
tokens = math.min(capacity, tokens + math.max(0, now - ts) / 1000 * refill)
local allowed = 0
local missing = 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
else
  missing = cost - tokens
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / refill * 1000) + 1000)
return {allowed, tostring(missing)}
`;

/** Token buckets under `rl:<key>`, one atomic Lua script per take. */
export class RedisRateLimiter implements RateLimiter {
  private readonly takeScript;

  constructor(private readonly redis: GuardedRedis) {
    this.takeScript = defineScript(redis.client, 'm365RateTake', TAKE, 1);
  }

  async take(key: string, limit: BucketLimit, cost = 1): Promise<RateDecision> {
    assertValidLimit(limit, cost);
    const reply = await this.redis.run('rate take', () =>
      this.takeScript(`rl:${key}`, limit.capacity, limit.refillPerSecond, cost),
    );
    const [allowed, missing] = Array.isArray(reply) ? (reply as unknown[]) : [];
    if (allowed === 1) return { allowed: true, retryAfterSeconds: 0 };
    return { allowed: false, retryAfterSeconds: retryAfterSeconds(Number(missing), limit.refillPerSecond) };
  }
}
