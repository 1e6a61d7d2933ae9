import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryLogger } from '../../src/adapters/memory/in-memory-logger.js';
import { DynamoOAuthClientStore } from '../../src/adapters/dynamo/dynamo-oauth-client-store.js';
import { FallbackGrantStore } from '../../src/adapters/fallback/fallback-grant-store.js';
import { seededUser } from '../../src/adapters/sandbox/seed.js';
import { METRIC_NAMES } from '../../src/adapters/telemetry/telemetry.js';
import { loadConfig } from '../../src/app/config.js';
import { startGateway, StartupError, type RunningGateway } from '../../src/app/gateway.js';
import { TOKENS } from '../../src/app/tokens.js';
import type { Cache } from '../../src/ports/cache.js';
import type { Encryptor } from '../../src/ports/encryptor.js';
import type { FeatureFlagStore } from '../../src/ports/feature-flags.js';
import type { IdempotencyStore } from '../../src/ports/idempotency-store.js';
import type { Lock } from '../../src/ports/lock.js';
import type { OAuthClientStore } from '../../src/ports/oauth-client-store.js';
import type { RateLimiter } from '../../src/ports/rate-limiter.js';
import type { SessionStore } from '../../src/ports/session-store.js';
import type { TokenStore } from '../../src/ports/token-store.js';
import type { UploadSessionStore } from '../../src/ports/upload-session-store.js';
import { CollectingReader, points } from '../adapters/telemetry/telemetry-harness.js';
import { makeSession } from '../contracts/session-store.contract.js';
import { makeTestTables, startDynalite, type Emulator, type TestTables } from '../support/dynamo.js';
import { startFakeKms, type FakeKms } from '../support/fake-kms-server.js';
import { callOk, connectClient, startTestGateway } from '../support/gateway.js';
import { CLIENT_REDIRECT, HeadlessOAuthProvider, connectWithOAuth } from '../support/mcp-oauth-client.js';
import { sha256OfGenerated } from '../support/generated-bytes.js';
import { MACHINE_REDIS_URL } from '../support/redis.js';
import { sendChunks, startUpload, storedSha } from '../support/uploads.js';
import { freePort, startOwnedRedis } from '../support/redis-server.js';

const UNIT = 327_680;

/** STORAGE=aws through the real composition root: dynalite, the machine's Redis, the KMS test endpoint. */
let emulator: Emulator;
let kms: FakeKms;
let tables: TestTables;
let keyId: string;
const prefix = `test:${randomUUID()}:`;

beforeAll(async () => {
  [emulator, kms] = await Promise.all([startDynalite(), startFakeKms()]);
  tables = await makeTestTables(emulator.endpoint);
  keyId = kms.createKey();
});
afterAll(async () => {
  const raw = new Redis(MACHINE_REDIS_URL);
  const keys = await raw.keys(`${prefix}*`);
  if (keys.length > 0) await raw.del(...keys);
  raw.disconnect();
  await Promise.all([emulator?.close(), kms?.close()]);
});

function awsEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    STORAGE: 'aws',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    DYNAMODB_ENDPOINT: emulator.endpoint,
    DYNAMODB_TABLE_TOKENS: tables.names.tokens,
    DYNAMODB_TABLE_SESSIONS: tables.names.sessions,
    DYNAMODB_TABLE_IDEMPOTENCY: tables.names.idempotency,
    DYNAMODB_TABLE_LOCKS: tables.names.locks,
    DYNAMODB_TABLE_FLAGS: tables.names.flags,
    DYNAMODB_TABLE_OAUTH: tables.names.oauth,
    DYNAMODB_TABLE_UPLOADS: tables.names.uploads,
    REDIS_URL: MACHINE_REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    KMS_ENDPOINT: kms.endpoint,
    KMS_KEY_ID: keyId,
    ...overrides,
  };
}

async function readyz(gateway: RunningGateway): Promise<{ status: number; body: { ready: boolean; checks: Record<string, string> } }> {
  const res = await fetch(`${gateway.url}/readyz`);
  return { status: res.status, body: (await res.json()) as { ready: boolean; checks: Record<string, string> } };
}

describe('STORAGE=aws gateway', () => {
  let gateway: RunningGateway;
  let client: Client;
  const reader = new CollectingReader();

  beforeAll(async () => {
    const config = loadConfig({ PORT: '0', SANDBOX_PORT: '0', NODE_ENV: 'test', OTEL_SDK_DISABLED: 'false', ...awsEnv() });
    gateway = await startGateway(config, { logger: new InMemoryLogger(), telemetry: { metricReaders: [reader] } });
    client = await connectClient(gateway);
  });
  afterAll(async () => {
    await client?.close();
    await gateway?.close();
  });

  it('serves tool calls and reports every dependency in /readyz', async () => {
    const me = await callOk<{ profile: { displayName: string } }>(client, 'auth_whoami');
    expect(me.profile.displayName).toBeTruthy();
    const { status, body } = await readyz(gateway);
    expect(status).toBe(200);
    expect(body).toEqual({ ready: true, checks: { graph: 'ok', dynamodb: 'ok', kms: 'ok', redis: 'ok' } });
  });

  it('binds every storage port to the production adapters, end to end', async () => {
    const get = <T>(token: symbol): T => gateway.container.get<T>(token);
    const now = Date.now();

    // Tokens: sealed by KMS, stored in DynamoDB, never in clear text.
    const encryptor = get<Encryptor>(TOKENS.Encryptor);
    const tokens = get<TokenStore>(TOKENS.TokenStore);
    const context = { tenantId: 't-e2e', userId: 'o-e2e', purpose: 'msal-cache' };
    const sealed = await encryptor.encrypt(Buffer.from('refresh-token-e2e-secret'), context);
    expect(sealed.startsWith('kms1.')).toBe(true);
    expect(await tokens.put({ tenantId: 't-e2e', objectId: 'o-e2e', sealed, version: 1, expiresAt: now + 60_000 })).toBe(true);
    const stored = await tokens.get('t-e2e', 'o-e2e');
    expect(Buffer.from((await encryptor.decrypt(stored?.sealed ?? '', context)).plaintext).toString()).toBe('refresh-token-e2e-secret');
    const scan = await tables.client.send(new ScanCommand({ TableName: tables.names.tokens }));
    expect(JSON.stringify(scan.Items)).not.toContain('refresh-token-e2e-secret');
    expect(kms.calls['GenerateDataKey']).toBeGreaterThan(0);

    // Sessions: durable in DynamoDB and cached in Redis under the configured prefix.
    const session = makeSession(now);
    await get<SessionStore>(TOKENS.SessionStore).create(session);
    expect(await get<SessionStore>(TOKENS.SessionStore).get(session.id)).toEqual(session);
    const durable = await tables.client.send(new ScanCommand({ TableName: tables.names.sessions }));
    expect(durable.Items?.length).toBe(1);
    const raw = new Redis(MACHINE_REDIS_URL);
    try {
      expect((await raw.keys(`${prefix}*`)).length).toBeGreaterThan(0);
    } finally {
      raw.disconnect();
    }

    const idempotency = get<IdempotencyStore>(TOKENS.IdempotencyStore);
    expect(await idempotency.claim('k1', 'f1', 60_000)).toEqual({ state: 'claimed' });
    expect(await idempotency.claim('k1', 'f1', 60_000)).toEqual({ state: 'in_progress' });

    const lock = get<Lock>(TOKENS.Lock);
    const lease = await lock.tryAcquire('refresh:e2e', 5_000);
    expect(lease).not.toBeNull();
    expect(await lock.tryAcquire('refresh:e2e', 5_000)).toBeNull();
    await lease?.release();

    const cache = get<Cache>(TOKENS.Cache);
    await cache.set('meta:e2e', 'v', 60_000);
    expect(await cache.get('meta:e2e')).toBe('v');

    const limit = { capacity: 1, refillPerSecond: 0.001 };
    const limiter = get<RateLimiter>(TOKENS.RateLimiter);
    expect((await limiter.take('user:e2e', limit)).allowed).toBe(true);
    expect((await limiter.take('user:e2e', limit)).allowed).toBe(false);

    // OAuth state: grants durable in DynamoDB with bearer lookups cached in Redis; clients in DynamoDB.
    expect(get(TOKENS.GrantStore)).toBeInstanceOf(FallbackGrantStore);
    expect(get(TOKENS.OAuthClientStore)).toBeInstanceOf(DynamoOAuthClientStore);

    const flags = get<FeatureFlagStore>(TOKENS.FeatureFlagStore);
    await flags.write({ disabled: ['teams'] });
    const flagItems = await tables.client.send(new ScanCommand({ TableName: tables.names.flags }));
    expect(JSON.stringify(flagItems.Items)).toContain('teams');
  });

  it('records DynamoDB and Redis latency per operation, DynamoDB by logical table', async () => {
    const { resourceMetrics } = await reader.collect();
    const metrics = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics);
    const dynamo = points(metrics.find((m) => m.descriptor.name === METRIC_NAMES.dynamodbDuration));
    const redis = points(metrics.find((m) => m.descriptor.name === METRIC_NAMES.redisDuration));
    expect(dynamo.map((p) => p.attributes)).toContainEqual({ operation: 'token_put', table: 'tokens' });
    expect(dynamo.map((p) => p.attributes)).toContainEqual({ operation: 'session_create', table: 'sessions' });
    expect(redis.map((p) => p.attributes.operation)).toContain('session_create');
  });
});

describe('STORAGE=aws with Redis down', () => {
  it('starts degraded and stays ready, with redis reported and sessions served from DynamoDB', async () => {
    const owned = await startOwnedRedis();
    const gateway = await startTestGateway(awsEnv({ REDIS_URL: owned.url, REDIS_COMMAND_TIMEOUT_MS: '200' }));
    try {
      expect((await readyz(gateway)).body.checks.redis).toBe('ok');
      await owned.kill();
      const { status, body } = await readyz(gateway);
      expect(status).toBe(200);
      expect(body.ready).toBe(true);
      expect(body.checks).toMatchObject({ dynamodb: 'ok', kms: 'ok', graph: 'ok' });
      expect(body.checks.redis).toMatch(/^degraded: /);

      const sessions = gateway.container.get<SessionStore>(TOKENS.SessionStore);
      const session = makeSession(Date.now());
      await sessions.create(session);
      expect(await sessions.get(session.id)).toEqual(session);
      const client = await connectClient(gateway);
      await callOk(client, 'auth_whoami');
      await client.close();
    } finally {
      await gateway.close();
      await owned.stop();
    }
  });

  it('keeps OAuth working: sign-in, bearer checks, refresh rotation and revocation, with nothing lost when Redis returns', async () => {
    const owned = await startOwnedRedis();
    const gateway = await startTestGateway(awsEnv({ AUTH_MODE: 'oauth', REDIS_URL: owned.url, REDIS_COMMAND_TIMEOUT_MS: '200', RATE_LIMIT_ENABLED: 'false' }));
    const mcp = (accessToken: string): Promise<Response> =>
      fetch(gateway.mcpUrl, {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'auth_whoami', arguments: {} } }),
      });
    const refresh = async (clientId: string, refreshToken: string): Promise<{ status: number; body: Record<string, string> }> => {
      const res = await fetch(`${gateway.url}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', client_id: clientId, refresh_token: refreshToken }),
      });
      return { status: res.status, body: (await res.json()) as Record<string, string> };
    };
    try {
      // Signed in while Redis is up: the access token is cached in Redis.
      const megan = new HeadlessOAuthProvider(seededUser('megan').userPrincipalName);
      const before = await connectWithOAuth(gateway.mcpUrl, megan);
      await callOk(before, 'auth_whoami');
      await before.close();
      const meganClient = String(megan.info?.client_id);
      const meganAccess = megan.saved?.access_token ?? '';

      await owned.kill();

      // A token issued before the outage still authenticates (DynamoDB answers), a refresh rotates.
      expect((await mcp(meganAccess)).status).toBe(200);
      const rotated = await refresh(meganClient, megan.saved?.refresh_token ?? '');
      expect(rotated.status).toBe(200);
      expect((await mcp(rotated.body.access_token ?? '')).status).toBe(200);
      // The old refresh token is spent: presenting it again is reuse, which revokes the grant.
      expect((await refresh(meganClient, megan.saved?.refresh_token ?? '')).status).toBe(400);
      expect((await mcp(rotated.body.access_token ?? '')).status).toBe(401);
      expect((await mcp(meganAccess)).status).toBe(401);

      // A whole new sign-in during the outage: registration, consent, code, tokens, tool calls.
      const alex = new HeadlessOAuthProvider(seededUser('alex').userPrincipalName);
      const during = await connectWithOAuth(gateway.mcpUrl, alex);
      expect((await callOk<{ profile: { displayName: string } }>(during, 'auth_whoami')).profile.displayName).toBe(seededUser('alex').displayName);
      await during.close();
      const registered = await gateway.container.get<OAuthClientStore>(TOKENS.OAuthClientStore).get(String(alex.info?.client_id));
      expect(registered?.redirectUris).toEqual([CLIENT_REDIRECT]);

      // Redis comes back empty: nothing was only there, and the revocation made during the outage holds.
      await owned.restart();
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect((await mcp(alex.saved?.access_token ?? '')).status).toBe(200);
      expect((await mcp(rotated.body.access_token ?? '')).status).toBe(401);
      const again = await refresh(String(alex.info?.client_id), alex.saved?.refresh_token ?? '');
      expect(again.status).toBe(200);
      expect((await mcp(again.body.access_token ?? '')).status).toBe(200);
    } finally {
      await gateway.close();
      await owned.stop();
    }
  }, 60_000);

  it('starts when Redis is unreachable from the start, logging one degraded warning', async () => {
    const gateway = await startTestGateway(awsEnv({ REDIS_URL: `redis://127.0.0.1:${await freePort()}` }));
    try {
      const { status, body } = await readyz(gateway);
      expect(status).toBe(200);
      expect(body.checks.redis).toMatch(/^degraded: /);
      const warnings = gateway.logger.entries.filter((e) => e.level === 'warn' && e.message.startsWith('starting degraded'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]?.fields).toMatchObject({ dependency: 'redis' });
    } finally {
      await gateway.close();
    }
  });
});

describe('STORAGE=aws uploads', () => {
  it('keep upload sessions in DynamoDB with the upload URL sealed, and survive a Redis loss mid-upload', async () => {
    const owned = await startOwnedRedis();
    const gateway = await startTestGateway(awsEnv({ REDIS_URL: owned.url, REDIS_COMMAND_TIMEOUT_MS: '200' }));
    try {
      const client = await connectClient(gateway);
      const size = 3 * UNIT + 5;
      const started = await startUpload(client, 'aws-upload.bin', size);
      await sendChunks(client, started.uploadId, UNIT + 10, 81, UNIT + 10);

      const open = await gateway.container.get<UploadSessionStore>(TOKENS.UploadSessionStore).get(started.uploadId);
      expect(open).toMatchObject({ committed: UNIT, tail: expect.any(Uint8Array) });
      expect(open?.uploadUrl).toContain('/_sandbox/upload/');
      const { Items } = await tables.client.send(new ScanCommand({ TableName: tables.names.uploads }));
      const item = Items?.find((i) => i['pk']?.S === started.uploadId);
      expect(item?.['data']?.S).toContain('"uploadUrl":"kms1.');
      const stored = JSON.stringify(Items);
      expect(stored).not.toContain('/_sandbox/upload/');
      expect(stored).not.toContain(new URL(open?.uploadUrl ?? '').pathname.split('/').pop());

      // Redis gone: the upload continues from DynamoDB on the same replica.
      await owned.kill();
      const done = await sendChunks(client, started.uploadId, size, 81, size - (UNIT + 10), UNIT + 10);
      expect(done.status).toBe('completed');
      expect(storedSha(gateway.sandbox!, 'megan', done.item?.id ?? '')).toBe(sha256OfGenerated(size, 81));
      await client.close();
    } finally {
      await gateway.close();
      await owned.stop();
    }
  });
});

describe('STORAGE=aws start-up failures', () => {
  it('refuses to start with one line naming a missing table and the variables to check', async () => {
    const error = await startTestGateway(awsEnv({ DYNAMODB_TABLE_LOCKS: 'no-such-locks-table' })).then(
      async (g) => {
        await g.close();
        return undefined;
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StartupError);
    const message = (error as Error).message;
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toMatch(/^Start-up failed: dynamodb unavailable \(table no-such-locks-table does not exist\); check DYNAMODB_TABLE_\*/);
    expect(message).not.toContain('kms');
  });

  it('refuses to start when KMS is unreachable, naming KMS_KEY_ID and KMS_ENDPOINT', async () => {
    const error = await startTestGateway(awsEnv({ KMS_ENDPOINT: `http://127.0.0.1:${await freePort()}` })).then(
      async (g) => {
        await g.close();
        return undefined;
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StartupError);
    expect((error as Error).message).toMatch(/^Start-up failed: kms unavailable \(.+\); check KMS_KEY_ID, KMS_ENDPOINT/);
    expect((error as Error).message.split('\n')).toHaveLength(1);
  });
});
