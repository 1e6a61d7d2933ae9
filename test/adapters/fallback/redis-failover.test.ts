import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoGrantStore } from '../../../src/adapters/dynamo/dynamo-grant-store.js';
import { DynamoIdempotencyStore } from '../../../src/adapters/dynamo/dynamo-idempotency-store.js';
import { DynamoLock } from '../../../src/adapters/dynamo/dynamo-lock.js';
import { DynamoSessionStore } from '../../../src/adapters/dynamo/dynamo-session-store.js';
import { FallbackCache } from '../../../src/adapters/fallback/fallback-cache.js';
import { FallbackGrantStore } from '../../../src/adapters/fallback/fallback-grant-store.js';
import { FallbackIdempotencyStore } from '../../../src/adapters/fallback/fallback-idempotency-store.js';
import { FallbackLock } from '../../../src/adapters/fallback/fallback-lock.js';
import { FallbackSessionStore } from '../../../src/adapters/fallback/fallback-session-store.js';
import { SystemClock } from '../../../src/adapters/system/system-clock.js';
import { GuardedRedis } from '../../../src/adapters/redis/guarded-redis.js';
import { RedisCache } from '../../../src/adapters/redis/redis-cache.js';
import { createRedisClient, waitForRedis } from '../../../src/adapters/redis/redis-client.js';
import { RedisGrantStore } from '../../../src/adapters/redis/redis-grant-store.js';
import { RedisIdempotencyStore } from '../../../src/adapters/redis/redis-idempotency-store.js';
import { RedisLock } from '../../../src/adapters/redis/redis-lock.js';
import { RedisSessionStore } from '../../../src/adapters/redis/redis-session-store.js';
import type { AccessTokenRecord, Grant } from '../../../src/ports/grant-store.js';
import type { McpSession } from '../../../src/ports/session-store.js';
import { makeSession } from '../../contracts/session-store.contract.js';
import { makeTestTables, startDynalite } from '../../support/dynamo.js';
import type { Emulator, TestTables } from '../../support/dynamo.js';
import { sleep } from '../../support/redis.js';
import { startOwnedRedis } from '../../support/redis-server.js';
import type { OwnedRedis } from '../../support/redis-server.js';

let emulator: Emulator;
let tables: TestTables;
let server: OwnedRedis;
beforeAll(async () => {
  [emulator, server] = await Promise.all([startDynalite(), startOwnedRedis()]);
  tables = await makeTestTables(emulator.endpoint);
});
afterAll(async () => {
  await server.stop();
  await emulator.close();
});

/** One gateway replica: its own Redis connection and breaker, shared Redis server and tables. */
async function replica(accessTokenCapMs = 60_000): Promise<{
  redis: GuardedRedis;
  sessions: FallbackSessionStore;
  idempotency: FallbackIdempotencyStore;
  lock: FallbackLock;
  cache: FallbackCache;
  grants: FallbackGrantStore;
}> {
  const clock = new SystemClock();
  const client = createRedisClient({
    url: server.url,
    keyPrefix: 'gw:',
    commandTimeoutMs: 300,
    connectTimeoutMs: 300,
  });
  await waitForRedis(client, 5_000);
  const redis = new GuardedRedis(client, { consecutiveFailures: 3, halfOpenAfterMs: 200 });
  return {
    redis,
    sessions: new FallbackSessionStore(
      new RedisSessionStore(redis, clock, { ttlCapMs: 60_000 }),
      new DynamoSessionStore(tables.executor, tables.names.sessions, clock),
    ),
    idempotency: new FallbackIdempotencyStore(
      new RedisIdempotencyStore(redis, clock),
      new DynamoIdempotencyStore(tables.executor, tables.names.idempotency, clock),
    ),
    lock: new FallbackLock(new RedisLock(redis), new DynamoLock(tables.executor, tables.names.locks, clock)),
    cache: new FallbackCache(new RedisCache(redis)),
    grants: new FallbackGrantStore(
      new RedisGrantStore(redis, clock, { ttlCapMs: accessTokenCapMs }),
      new DynamoGrantStore(tables.executor, tables.names.oauth, clock),
    ),
  };
}

const grantOf = (id: string, objectId: string): Grant => ({
  id,
  tenantId: 'tenant-f',
  objectId,
  subject: objectId,
  clientId: 'client',
  scopes: ['Mail.Read'],
  resource: 'https://gw/mcp',
  createdAt: Date.now(),
  expiresAt: Date.now() + 3_600_000,
});
const accessOf = (grant: Grant): AccessTokenRecord => ({
  grantId: grant.id,
  tenantId: grant.tenantId,
  objectId: grant.objectId,
  subject: grant.subject,
  clientId: grant.clientId,
  scopes: grant.scopes,
  resource: grant.resource,
  expiresAt: Date.now() + 600_000,
});

describe('Redis killed mid-traffic and restarted', () => {
  it('keeps answering: no failed call, no lost session, no duplicate send, one lock holder at a time, bearer checks and refresh rotations go on', async () => {
    const replicas = await Promise.all([replica(), replica()]);
    const created: McpSession[] = [];
    for (let i = 0; i < 20; i += 1) {
      const session = makeSession(Date.now());
      await replicas[i % 2]?.sessions.create(session);
      created.push(session);
    }
    // One OAuth grant per worker: a bearer token issued before the outage and a refresh-token chain.
    const workers = 8;
    const chains: string[][] = [];
    for (let i = 0; i < workers; i += 1) {
      const grant = grantOf(`grant-${i}`, `user-${i}`);
      await replicas[0]?.grants.putGrant(grant);
      await replicas[0]?.grants.putAccessToken(`bearer-${i}`, accessOf(grant));
      await replicas[0]?.grants.putRefreshToken(`refresh-${i}-0`, { grantId: grant.id, expiresAt: Date.now() + 3_600_000 });
      chains.push([`refresh-${i}-0`]);
    }
    let rotations = 0;

    const failures: unknown[] = [];
    const sends = new Map<string, number>();
    let holders = 0;
    let maxHolders = 0;
    let lockGrants = 0;
    let stop = false;
    let calls = 0;

    const worker = async (index: number): Promise<void> => {
      const r = replicas[index % 2];
      if (r === undefined) return;
      let n = 0;
      while (!stop) {
        n += 1;
        try {
          // A tool call: session lookup, then an idempotent send with a client-chosen key.
          const session = created[(index * 7 + n) % created.length];
          if (session !== undefined && (await r.sessions.get(session.id)) === null)
            failures.push(new Error(`lost session ${session.id}`));
          const fresh = makeSession(Date.now());
          await r.sessions.create(fresh);
          created.push(fresh);
          const key = `send-${(index + n) % 60}-${Math.floor(n / 4)}`;
          const claim = await r.idempotency.claim(key, 'fp', 60_000);
          if (claim.state === 'claimed') {
            sends.set(key, (sends.get(key) ?? 0) + 1);
            await r.idempotency.complete(key, 'fp', '{"sent":true}', 60_000);
          }
          // An MCP request's bearer check, and a token refresh answered by the other replica.
          if ((await r.grants.getAccessToken(`bearer-${index}`)) === null) failures.push(new Error(`bearer ${index} rejected`));
          const chain = chains[index] ?? [];
          const use = await r.grants.useRefreshToken(chain.at(-1) ?? '');
          if (use?.status !== 'fresh') failures.push(new Error(`refresh ${chain.at(-1)} was ${use?.status ?? 'unknown'}`));
          else {
            const next = `refresh-${index}-${n}`;
            await r.grants.putRefreshToken(next, { grantId: use.record.grantId, expiresAt: Date.now() + 3_600_000 });
            await r.grants.putAccessToken(`access-${index}-${n}`, accessOf(grantOf(use.record.grantId, `user-${index}`)));
            chain.push(next);
            rotations += 1;
            const other = replicas[(index + 1) % 2];
            if ((await other?.grants.getAccessToken(`access-${index}-${n}`)) === null) failures.push(new Error(`new access token ${index}-${n} unknown to the other replica`));
          }
          const lease = await r.lock.tryAcquire('refresh:user-1', 5_000);
          if (lease !== null) {
            holders += 1;
            lockGrants += 1;
            maxHolders = Math.max(maxHolders, holders);
            await sleep(2);
            holders -= 1;
            await lease.release();
          }
          calls += 1;
        } catch (error) {
          failures.push(error);
        }
      }
    };

    const traffic = Promise.all(Array.from({ length: workers }, (_, i) => worker(i)));
    await sleep(600);
    await server.kill();
    const callsAtKill = calls;
    const rotationsAtKill = rotations;
    await sleep(1_200);
    // On a busy machine an iteration (all on dynalite now) can be slow: wait for some traffic to be served in the outage.
    for (let waited = 0; (calls - callsAtKill < 3 || rotations - rotationsAtKill < 3) && waited < 10_000; waited += 100) await sleep(100);
    const openDuringOutage = replicas.map((r) => r.redis.isOpen);
    const callsDuringOutage = calls - callsAtKill;
    const rotationsDuringOutage = rotations - rotationsAtKill;
    await server.restart();
    await sleep(1_500);
    stop = true;
    await traffic;

    expect(failures).toEqual([]);
    expect(openDuringOutage).toEqual([true, true]);
    expect([...sends.values()].every((count) => count === 1)).toBe(true);
    expect(callsDuringOutage).toBeGreaterThan(0);
    expect(sends.size).toBeGreaterThan(5);
    expect(maxHolders).toBe(1);
    expect(lockGrants).toBeGreaterThan(2);
    expect(rotationsDuringOutage).toBeGreaterThan(0);
    const reader = replicas[0];
    for (const session of created) expect(await reader?.sessions.get(session.id)).toEqual(session);
    // Every chain: each spent refresh token reads as reused, the last one is still fresh (nothing lost, nothing used twice).
    for (const chain of chains) {
      const spent = await Promise.all(chain.slice(0, -1).map((hash) => reader?.grants.useRefreshToken(hash)));
      expect(spent.every((u) => u?.status === 'reused')).toBe(true);
      expect((await reader?.grants.useRefreshToken(chain.at(-1) ?? ''))?.status).toBe('fresh');
    }

    // Traffic moved back: Redis (restarted empty) holds sessions again and the cache works.
    expect(replicas.map((r) => r.redis.isOpen)).toEqual([false, false]);
    expect(await replicas[0]?.redis.client.dbsize()).toBeGreaterThan(0);
    await reader?.cache.set('warm', 'yes', 10_000);
    expect(await reader?.cache.get('warm')).toBe('yes');
    for (const r of replicas) r.redis.client.disconnect();
  });

  it('bounds how long a cached bearer token outlives a revocation Redis did not hear of (partition, not restart)', async () => {
    const capMs = 1_500;
    const r = await replica(capMs);
    const grant = grantOf('grant-partition', 'user-p');
    await r.grants.putGrant(grant);
    const cachedAt = Date.now();
    await r.grants.putAccessToken('bearer-p', accessOf(grant));
    expect(await r.grants.getAccessToken('bearer-p')).not.toBeNull();
    // Redis freezes (its data survives); the revocation reaches DynamoDB only.
    server.pause();
    await r.grants.revokeGrant(grant.id);
    server.resume();
    expect(await r.grants.getGrant(grant.id)).toBeNull();
    // Whatever Redis still holds dies with its TTL cap, counted from when it was cached.
    await sleep(Math.max(0, cachedAt + capMs + 100 - Date.now()));
    expect(await r.grants.getAccessToken('bearer-p')).toBeNull();
    r.redis.client.disconnect();
  });

  it('bypasses the cache while Redis is down, and a duplicate claim made during the outage stays a duplicate after', async () => {
    const r = await replica();
    await r.cache.set('k', 'v', 10_000);
    await r.idempotency.claim('before-outage', 'fp', 60_000);
    await server.kill();
    expect(await r.cache.get('k')).toBeNull();
    await r.cache.set('k', 'ignored', 10_000);
    expect(await r.idempotency.claim('before-outage', 'fp', 60_000)).toEqual({ state: 'in_progress' });
    expect(await r.idempotency.claim('during-outage', 'fp', 60_000)).toEqual({ state: 'claimed' });
    await server.restart();
    await sleep(600);
    // Redis came back empty; DynamoDB still knows both claims.
    expect(await r.idempotency.claim('during-outage', 'fp', 60_000)).toEqual({ state: 'in_progress' });
    expect(await r.idempotency.claim('before-outage', 'other', 60_000)).toEqual({ state: 'mismatch' });
    expect(await r.cache.get('k')).toBeNull();
    r.redis.client.disconnect();
  });
});
