import type { FeatureFlagStore, FlagOverrides } from '../../ports/feature-flags.js';
import { validFlagOverrides } from '../shared/flag-overrides.js';
import { flagOverridesSchema, NO_OVERRIDES, parseJsonRecord } from '../shared/stored-records.js';
import type { GuardedRedis } from './guarded-redis.js';

/** The Redis key (after the client's prefix) holding the overrides. */
export const REDIS_FLAGS_KEY = 'flags';

/** Operator overrides as one JSON value; malformed data reads as "no overrides". */
export class RedisFeatureFlagStore implements FeatureFlagStore {
  constructor(private readonly redis: GuardedRedis) {}

  async read(): Promise<FlagOverrides> {
    const raw = await this.redis.run('flags read', (c) => c.get(REDIS_FLAGS_KEY));
    return parseJsonRecord(flagOverridesSchema, raw) ?? { ...NO_OVERRIDES };
  }

  async write(overrides: FlagOverrides): Promise<void> {
    const valid = validFlagOverrides(overrides);
    await this.redis.run('flags write', (c) => c.set(REDIS_FLAGS_KEY, JSON.stringify(valid)));
  }
}
