import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DynamoGrantStore } from '../src/adapters/dynamo/dynamo-grant-store.js';
import { DynamoIdempotencyStore } from '../src/adapters/dynamo/dynamo-idempotency-store.js';
import { DynamoTokenStore } from '../src/adapters/dynamo/dynamo-token-store.js';
import { FallbackGrantStore } from '../src/adapters/fallback/fallback-grant-store.js';
import { FallbackIdempotencyStore } from '../src/adapters/fallback/fallback-idempotency-store.js';
import { createKmsClient } from '../src/adapters/kms/kms-client.js';
import { KmsEncryptor } from '../src/adapters/kms/kms-encryptor.js';
import { InMemoryIdempotencyStore } from '../src/adapters/memory/in-memory-idempotency-store.js';
import { SystemClock } from '../src/adapters/system/system-clock.js';
import { RedisCache } from '../src/adapters/redis/redis-cache.js';
import { RedisGrantStore } from '../src/adapters/redis/redis-grant-store.js';
import { RedisIdempotencyStore } from '../src/adapters/redis/redis-idempotency-store.js';
import type { EncryptionContext } from '../src/ports/encryptor.js';
import type { IdempotencyStore } from '../src/ports/idempotency-store.js';
import { makeTestTables, startDynalite } from '../test/support/dynamo.js';
import { startFakeKms } from '../test/support/fake-kms-server.js';
import { connectTestRedis } from '../test/support/redis.js';

/**
 * Storage benchmark on loopback: token lookup latency through the three paths a request can take,
 * and idempotency-store throughput. DynamoDB is dynalite and KMS the test endpoint, so absolute
 * numbers are local; the comparison between paths is the point.
 */
export async function runStorageBench(): Promise<void> {
  const lookups = 300;
  const clock = new SystemClock();
  const [emulator, kms] = await Promise.all([startDynalite(), startFakeKms()]);
  const redis = await connectTestRedis().catch(() => undefined);
  try {
    const tables = await makeTestTables(emulator.endpoint);
    const kmsClient = createKmsClient({
      region: 'us-east-1',
      endpoint: kms.endpoint,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    const keyId = kms.createKey();
    const cachedKeys = new KmsEncryptor(kmsClient, clock, { keyId });
    const noKeyCache = new KmsEncryptor(kmsClient, clock, { keyId, dataKeyMaxUses: 0 });
    const tokens = new DynamoTokenStore(tables.executor, tables.names.tokens, clock);
    const context: EncryptionContext = {
      tenantId: 'bench-tenant',
      userId: 'bench-user',
      purpose: 'graph-token-cache',
    };
    const sealed = await cachedKeys.encrypt(
      new TextEncoder().encode(JSON.stringify({ refresh: 'r'.repeat(1_500) })),
      context,
    );
    await tokens.put({
      tenantId: context.tenantId,
      objectId: context.userId,
      sealed,
      version: 1,
      expiresAt: clock.now() + 86_400_000,
    });
    await cachedKeys.decrypt(sealed, context);

    const rows: [string, Stats | string][] = [];
    if (redis !== undefined) {
      const cache = new RedisCache(redis.redis);
      await cache.set('token:bench', sealed, 600_000);
      rows.push([
        'redis cache hit (+ local AES-GCM)',
        await latency(lookups, async () =>
          cachedKeys.decrypt((await cache.get('token:bench')) ?? '', context),
        ),
      ]);
    } else {
      rows.push(['redis cache hit (+ local AES-GCM)', 'skipped: Redis at 127.0.0.1:6379 not reachable']);
    }
    const lookup = async (encryptor: KmsEncryptor): Promise<void> => {
      const record = await tokens.get(context.tenantId, context.userId);
      await encryptor.decrypt(record?.sealed ?? '', context);
    };
    rows.push(['dynamodb + kms, data key cached', await latency(lookups, () => lookup(cachedKeys))]);
    rows.push(['dynamodb + kms, data key miss', await latency(lookups, () => lookup(noKeyCache))]);

    printLatency('token lookup latency (ms)', rows);

    // The bearer check every MCP request makes (OAuth mode): DynamoDB reads the token and its grant.
    const grants = new DynamoGrantStore(tables.executor, tables.names.oauth, clock);
    const grant = { id: 'bench-grant', tenantId: 't', objectId: 'o', subject: 's', clientId: 'c', scopes: ['Mail.Read'], resource: 'r', createdAt: clock.now(), expiresAt: clock.now() + 86_400_000 };
    const access = { grantId: grant.id, tenantId: 't', objectId: 'o', subject: 's', clientId: 'c', scopes: ['Mail.Read'], resource: 'r', expiresAt: clock.now() + 3_600_000 };
    await grants.putGrant(grant);
    await grants.putAccessToken('bench-access', access);
    const bearerRows: [string, Stats | string][] = [['dynamodb (token + grant, consistent)', await latency(lookups, () => grants.getAccessToken('bench-access'))]];
    if (redis !== undefined) {
      const cached = new FallbackGrantStore(new RedisGrantStore(redis.redis, clock, { ttlCapMs: 30_000 }), grants);
      await cached.putAccessToken('bench-access', access);
      bearerRows.unshift(['redis cache hit (FallbackGrantStore)', await latency(lookups, () => cached.getAccessToken('bench-access'))]);
    }
    printLatency('bearer check latency (ms)', bearerRows);

    const stores: [string, IdempotencyStore | undefined][] = [
      ['in-memory', new InMemoryIdempotencyStore(clock)],
      ['redis', redis === undefined ? undefined : new RedisIdempotencyStore(redis.redis, clock)],
      ['dynamodb', new DynamoIdempotencyStore(tables.executor, tables.names.idempotency, clock)],
      [
        'fallback (redis + dynamodb)',
        redis === undefined
          ? undefined
          : new FallbackIdempotencyStore(
              new RedisIdempotencyStore(redis.redis, clock),
              new DynamoIdempotencyStore(tables.executor, tables.names.idempotency, clock),
            ),
      ],
    ];
    console.log('\nidempotency store throughput (claim + complete, 16 concurrent callers)');
    console.log(pad('store', 38), pad('ops/s', 10), 'ops');
    for (const [name, store] of stores) {
      if (store === undefined) {
        console.log(pad(name, 38), 'skipped: Redis not reachable');
        continue;
      }
      const { opsPerSecond, ops } = await throughput(store, 16, 1_500);
      console.log(pad(name, 38), pad(opsPerSecond.toFixed(0), 10), ops);
    }
  } finally {
    await redis?.close();
    await Promise.all([kms.close(), emulator.close()]);
  }
}

function printLatency(title: string, rows: [string, Stats | string][]): void {
  console.log(`\n${title}`);
  console.log(pad('path', 38), pad('p50', 8), pad('p99', 8), 'n');
  for (const [name, stats] of rows) {
    if (typeof stats === 'string') console.log(pad(name, 38), stats);
    else console.log(pad(name, 38), pad(stats.p50.toFixed(2), 8), pad(stats.p99.toFixed(2), 8), stats.n);
  }
}

interface Stats {
  p50: number;
  p99: number;
  n: number;
}

async function latency(n: number, run: () => Promise<unknown>): Promise<Stats> {
  for (let i = 0; i < 20; i += 1) await run();
  const samples: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number): number =>
    samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99), n };
}

async function throughput(
  store: IdempotencyStore,
  concurrency: number,
  durationMs: number,
): Promise<{ opsPerSecond: number; ops: number }> {
  let ops = 0;
  const deadline = performance.now() + durationMs;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const key = `bench-${randomUUID()}`;
        await store.claim(key, 'fp', 60_000);
        await store.complete(key, 'fp', '{"ok":true}', 60_000);
        ops += 1;
      }
    }),
  );
  return { opsPerSecond: (ops * 1000) / (performance.now() - started), ops };
}

const pad = (value: string, width: number): string => value.padEnd(width);
