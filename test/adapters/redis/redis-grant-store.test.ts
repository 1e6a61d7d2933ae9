import { afterAll, describe, expect, it } from 'vitest';
import { RedisGrantStore } from '../../../src/adapters/redis/redis-grant-store.js';
import { describeGrantStoreContract } from '../../contracts/grant-store.contract.js';
import { ManualClock } from '../../support/stores.js';
import { connectTestRedis } from '../../support/redis.js';
import type { TestRedis } from '../../support/redis.js';

const opened: TestRedis[] = [];
afterAll(async () => {
  await Promise.all(opened.map((t) => t.close()));
});

async function connect(): Promise<TestRedis> {
  const t = await connectTestRedis();
  opened.push(t);
  return t;
}

describeGrantStoreContract({
  name: 'RedisGrantStore',
  make: async () => {
    const clock = new ManualClock();
    return { store: new RedisGrantStore((await connect()).redis, clock), advance: (ms) => clock.advance(ms), now: () => clock.now() };
  },
});

describe('RedisGrantStore as a cache (ttlCapMs)', () => {
  it('keeps no record and no revocation set longer than the cap', async () => {
    const t = await connect();
    const clock = new ManualClock();
    const store = new RedisGrantStore(t.redis, clock, { ttlCapMs: 5_000 });
    await store.putAccessToken('a', { grantId: 'g', tenantId: 't', objectId: 'o', subject: 's', clientId: 'c', scopes: [], resource: 'r', expiresAt: clock.now() + 3_600_000 });
    const ttls = await Promise.all([t.raw.pttl(`${t.prefix}mcp:oauth:access:a`), t.raw.pttl(`${t.prefix}mcp:oauth:grant-keys:g`)]);
    for (const ttl of ttls) {
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(5_000);
    }
  });

  it('reads a malformed value as absent', async () => {
    const t = await connect();
    const store = new RedisGrantStore(t.redis, new ManualClock());
    await t.raw.set(`${t.prefix}mcp:oauth:access:bad`, '{"grantId":');
    expect(await store.getAccessToken('bad')).toBeNull();
  });
});
