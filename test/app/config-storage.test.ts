import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, type AwsStorageConfig, type RedisConfig } from '../../src/app/config.js';

const KEY_A = Buffer.alloc(32, 1).toString('base64');
const KEY_B = Buffer.alloc(32, 2).toString('base64');
const AWS = { STORAGE: 'aws', AWS_REGION: 'eu-west-1', KMS_KEY_ID: 'arn:aws:kms:eu-west-1:111111111111:key/k' };

function aws(env: Record<string, string>): AwsStorageConfig & { redis: RedisConfig } {
  const config = loadConfig({ ...AWS, ...env });
  if (config.storage.kind !== 'aws' || config.redis === undefined) throw new Error('expected aws storage with Redis');
  return { ...config.storage, redis: config.redis };
}

describe('storage configuration', () => {
  it('defaults to in-memory stores with a generated local key', () => {
    const storage = loadConfig({}).storage;
    expect(storage.kind).toBe('memory');
    if (storage.kind !== 'memory') return;
    expect(storage.localKeysGenerated).toBe(true);
    expect(storage.localKeys).toHaveLength(1);
    expect(storage.localKeys[0]?.key).toHaveLength(32);
  });

  it('reads a local key ring from LOCAL_ENCRYPTION_KEYS or a key file, current key first', () => {
    const inline = loadConfig({ LOCAL_ENCRYPTION_KEYS: `new:${KEY_B},old:${KEY_A}` }).storage;
    expect(inline.kind === 'memory' && inline.localKeys.map((k) => k.id)).toEqual(['new', 'old']);
    const dir = mkdtempSync(join(tmpdir(), 'keys-'));
    try {
      const file = join(dir, 'ring');
      writeFileSync(file, `k1:${KEY_A}\n`);
      const fromFile = loadConfig({ LOCAL_ENCRYPTION_KEY_FILE: file }).storage;
      expect(fromFile.kind === 'memory' && fromFile.localKeysGenerated).toBe(false);
      expect(() => loadConfig({ LOCAL_ENCRYPTION_KEY_FILE: join(dir, 'missing') })).toThrow(/LOCAL_ENCRYPTION_KEY_FILE: cannot read .*ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a bad key ring naming the variable without echoing the key', () => {
    const short = Buffer.alloc(16, 7).toString('base64');
    const attempt = (): unknown => loadConfig({ LOCAL_ENCRYPTION_KEYS: `k:${short}` });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/LOCAL_ENCRYPTION_KEYS: .*32 bytes/);
    expect(attempt).not.toThrow(short);
  });

  it('requires AWS_REGION and KMS_KEY_ID for STORAGE=aws, naming both', () => {
    expect(() => loadConfig({ STORAGE: 'aws' })).toThrow(/AWS_REGION: required when STORAGE=aws[\s\S]*KMS_KEY_ID: required/);
    expect(() => loadConfig({ STORAGE: 'dynamo' })).toThrow(/STORAGE/);
    expect(() => loadConfig({ ...AWS, AWS_ACCESS_KEY_ID: 'x' })).toThrow(/AWS_SECRET_ACCESS_KEY/);
  });

  it('derives table names, key prefix and TLS from the environment name and URL', () => {
    const storage = aws({ DEPLOY_ENV: 'prod', REDIS_URL: 'rediss://cache.internal:6380' });
    expect(storage.dynamo.tables).toEqual({
      tokens: 'm365-gateway-prod-tokens',
      sessions: 'm365-gateway-prod-sessions',
      idempotency: 'm365-gateway-prod-idempotency',
      locks: 'm365-gateway-prod-locks',
      flags: 'm365-gateway-prod-flags',
      oauth: 'm365-gateway-prod-oauth',
      uploads: 'm365-gateway-prod-uploads',
    });
    expect(storage.redis).toMatchObject({ url: 'rediss://cache.internal:6380', tls: true, keyPrefix: 'm365:prod:', commandTimeoutMs: 500 });
    expect(storage.credentials).toBeUndefined();
    expect(storage.dynamo.endpoint).toBeUndefined();
    expect(storage.kms).toMatchObject({ dataKeyMaxAgeMs: 300_000, dataKeyMaxUses: 1_000, dataKeyCacheEntries: 10_000, readinessCacheMs: 30_000 });
    expect(storage.accessTokenRedisTtlCapMs).toBe(30_000);
  });

  it('has Redis only when asked for in memory mode, with the per-environment prefix when deployed', () => {
    expect(loadConfig({}).redis).toBeUndefined();
    expect(loadConfig({ REDIS_URL: 'redis://r:6379' }).redis).toMatchObject({ url: 'redis://r:6379', keyPrefix: 'm365:', tls: false });
    expect(loadConfig({ REDIS_URL: 'redis://r:6379', DEPLOY_ENV: 'dev' }).redis?.keyPrefix).toBe('m365:dev:');
    expect(aws({}).redis.url).toBe('redis://127.0.0.1:6379');
  });

  it('takes explicit names, cluster nodes and limits, and validates them', () => {
    const storage = aws({
      DYNAMODB_TABLE_TOKENS: 'custom-tokens',
      REDIS_CLUSTER_NODES: 'a.internal:6379, b.internal:6379',
      REDIS_TLS: 'false',
      REDIS_KEY_PREFIX: 'x:',
      SESSION_REDIS_TTL_CAP_MS: '30000',
      ACCESS_TOKEN_REDIS_TTL_CAP_MS: '5000',
      KMS_READINESS_CACHE_MS: '0',
      DYNAMODB_TABLE_OAUTH: 'custom-oauth',
      DYNAMODB_TABLE_UPLOADS: 'custom-uploads',
    });
    expect(storage.sessionRedisTtlCapMs).toBe(30_000);
    expect(storage.accessTokenRedisTtlCapMs).toBe(5_000);
    expect(storage.kms.readinessCacheMs).toBe(0);
    expect(storage.dynamo.tables.oauth).toBe('custom-oauth');
    expect(storage.dynamo.tables.uploads).toBe('custom-uploads');
    expect(() => aws({ ACCESS_TOKEN_REDIS_TTL_CAP_MS: '10' })).toThrow(/ACCESS_TOKEN_REDIS_TTL_CAP_MS/);
    expect(storage.dynamo.tables.tokens).toBe('custom-tokens');
    expect(storage.redis).toMatchObject({ clusterNodes: ['a.internal:6379', 'b.internal:6379'], tls: false, keyPrefix: 'x:' });
    expect(() => aws({ REDIS_URL: 'http://x' })).toThrow(/REDIS_URL/);
    expect(() => aws({ REDIS_CLUSTER_NODES: 'no-port' })).toThrow(/REDIS_CLUSTER_NODES/);
    expect(() => aws({ DYNAMODB_TABLE_LOCKS: 'a b' })).toThrow(/DYNAMODB_TABLE_LOCKS/);
    expect(() => aws({ AWS_REGION: 'Ireland' })).toThrow(/AWS_REGION/);
  });
});
