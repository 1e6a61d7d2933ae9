import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTables } from '../../src/adapters/dynamo/create-tables.js';
import { DynamoExecutor } from '../../src/adapters/dynamo/dynamo-executor.js';
import { DynamoFeatureFlagStore } from '../../src/adapters/dynamo/dynamo-feature-flag-store.js';
import { DynamoGrantStore } from '../../src/adapters/dynamo/dynamo-grant-store.js';
import { DynamoSessionStore } from '../../src/adapters/dynamo/dynamo-session-store.js';
import { DynamoTokenStore } from '../../src/adapters/dynamo/dynamo-token-store.js';
import { defaultTableNames } from '../../src/adapters/dynamo/table-definitions.js';
import { createKmsClient } from '../../src/adapters/kms/kms-client.js';
import { KmsEncryptor } from '../../src/adapters/kms/kms-encryptor.js';
import { SystemClock } from '../../src/adapters/system/system-clock.js';
import { parseReencryptArgs } from '../../src/app/admin/reencrypt.js';
import { emulatorClient, startDynalite, type Emulator } from '../support/dynamo.js';
import { startFakeKms, type FakeKms } from '../support/fake-kms-server.js';
import { freePort } from '../support/redis-server.js';

const run = promisify(execFile);

/** `npm run admin -- ...` as an operator runs it: a separate process configured only by its environment. */
async function admin(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/app/admin.ts', ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** The audit lines among an admin command's stderr. */
function auditEvents(stderr: string): Record<string, unknown>[] {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((e) => (e.log as { type?: string } | undefined)?.type === 'audit');
}

let emulator: Emulator;
let kms: FakeKms;
beforeAll(async () => {
  [emulator, kms] = await Promise.all([startDynalite(), startFakeKms()]);
});
afterAll(async () => {
  await Promise.all([emulator?.close(), kms?.close()]);
});

function awsEnv(names: ReturnType<typeof defaultTableNames>, keyId: string): Record<string, string> {
  return {
    STORAGE: 'aws',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    DYNAMODB_ENDPOINT: emulator.endpoint,
    KMS_ENDPOINT: kms.endpoint,
    KMS_KEY_ID: keyId,
    DYNAMODB_TABLE_TOKENS: names.tokens,
    DYNAMODB_TABLE_SESSIONS: names.sessions,
    DYNAMODB_TABLE_IDEMPOTENCY: names.idempotency,
    DYNAMODB_TABLE_LOCKS: names.locks,
    DYNAMODB_TABLE_FLAGS: names.flags,
    DYNAMODB_TABLE_OAUTH: names.oauth,
    DYNAMODB_TABLE_UPLOADS: names.uploads,
  };
}

/** Each spawn compiles the CLI with tsx: seconds on a loaded machine. */
const SPAWN_TIMEOUT_MS = 120_000;

describe('admin create-tables and reencrypt', { timeout: SPAWN_TIMEOUT_MS }, () => {
  const names = defaultTableNames(`a${randomUUID().slice(0, 8)}-`);

  it('create-tables creates the configured tables, and a second run finds them', async () => {
    const env = awsEnv(names, kms.createKey());
    const first = await admin(['create-tables'], env);
    expect(first.code).toBe(0);
    for (const name of Object.values(names)) expect(first.stdout).toContain(`${name}: created`);
    const { TableNames } = await emulatorClient(emulator.endpoint).send(new ListTablesCommand({}));
    expect(TableNames).toEqual(expect.arrayContaining(Object.values(names)));
    const second = await admin(['create-tables'], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`${names.tokens}: exists`);
  });

  it('reencrypt re-seals token caches under the current key after a key change', async () => {
    const clock = new SystemClock();
    const kmsClient = createKmsClient({ region: 'us-east-1', endpoint: kms.endpoint, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const [oldKey, newKey] = [kms.createKey(), kms.createKey()];
    await createTables(emulatorClient(emulator.endpoint), names);
    const tokens = new DynamoTokenStore(new DynamoExecutor(emulatorClient(emulator.endpoint)), names.tokens, clock);
    const context = { tenantId: 'tenant-r', userId: 'user-r', purpose: 'msal-cache' };
    const sealed = await new KmsEncryptor(kmsClient, clock, { keyId: oldKey }).encrypt(Buffer.from('cache-r'), context);
    expect(await tokens.put({ tenantId: 'tenant-r', objectId: 'user-r', sealed, version: 1, expiresAt: Date.now() + 3_600_000 })).toBe(true);

    const result = await admin(['reencrypt', '--tenant', 'tenant-r'], awsEnv(names, newKey));
    expect(result.code).toBe(0);
    expect(result.stderr).not.toMatch(/failed|could not be opened/);
    expect(JSON.parse(result.stdout)).toEqual({ tenants: 1, scanned: 1, reencrypted: 1, conflicts: 0, undecryptable: 0 });
    const after = await tokens.get('tenant-r', 'user-r');
    expect(after?.version).toBe(2);
    const opened = await new KmsEncryptor(kmsClient, clock, { keyId: newKey }).decrypt(after?.sealed ?? '', context);
    expect({ plaintext: Buffer.from(opened.plaintext).toString(), stale: opened.stale }).toEqual({ plaintext: 'cache-r', stale: false });

    // Safe to re-run: nothing left under the old key.
    const again = await admin(['reencrypt', '--tenant', 'tenant-r'], awsEnv(names, newKey));
    expect(JSON.parse(again.stdout)).toMatchObject({ scanned: 1, reencrypted: 0 });
  });

  it('flags set writes the DynamoDB flag store the STORAGE=aws replicas poll', async () => {
    await createTables(emulatorClient(emulator.endpoint), names);
    const result = await admin(['flags', 'set', '--disable', 'search', '--read-only', 'true'], awsEnv(names, kms.createKey()));
    expect(result.code).toBe(0);
    const [event] = auditEvents(result.stderr);
    expect(event).toMatchObject({ log: { type: 'audit' }, action: 'operator.flags_set', outcome: 'success', reason: 'disabled=search readOnly=true' });
    expect(event?.actor).toMatch(/^u_[0-9a-f]+$/); // the operator, pseudonymised like every actor
    const store = new DynamoFeatureFlagStore(new DynamoExecutor(emulatorClient(emulator.endpoint)), names.flags, new SystemClock());
    expect((await store.read()).disabled).toEqual(['search']);
  });

  it('explains what is missing in memory mode and on bad arguments', async () => {
    const memory = await admin(['create-tables'], {});
    expect(memory.code).toBe(78);
    expect(memory.stderr).toMatch(/needs STORAGE=aws/);
    expect(() => parseReencryptArgs([])).toThrow(/--tenant is required/);
    expect(() => parseReencryptArgs(['--tenant', 'a b'])).toThrow(/not a tenant id/);
    expect(parseReencryptArgs(['--tenant', 't1,t2', '--tenant', 't1'])).toEqual({ tenantIds: ['t1', 't2'], purpose: 'msal-cache' });
  });
});

describe('admin revoke', { timeout: SPAWN_TIMEOUT_MS }, () => {
  const names = defaultTableNames(`r${randomUUID().slice(0, 8)}-`);

  it('deletes the OAuth grants, stored Microsoft tokens and sessions of one user in DynamoDB, and leaves other users alone', async () => {
    const env = { ...awsEnv(names, kms.createKey()), REDIS_URL: 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: `test:${randomUUID()}:` };
    expect((await admin(['create-tables'], env)).code).toBe(0);
    const clock = new SystemClock();
    const executor = new DynamoExecutor(emulatorClient(emulator.endpoint), { retries: 0 });
    const tokens = new DynamoTokenStore(executor, names.tokens, clock);
    const sessions = new DynamoSessionStore(executor, names.sessions, clock);
    const grants = new DynamoGrantStore(executor, names.oauth, clock);
    const tenantId = 'tenant-1';
    const expiresAt = Date.now() + 3_600_000;
    for (const objectId of ['user-a', 'user-b']) {
      expect(await tokens.put({ tenantId, objectId, sealed: 'opaque', version: 1, expiresAt })).toBe(true);
      await sessions.create({ id: `s-${objectId}`, tenantId, objectId, subject: objectId, clientId: 'c', createdAt: Date.now(), expiresAt });
      await grants.putGrant({ id: `g-${objectId}`, tenantId, objectId, subject: objectId, clientId: 'c', scopes: [], resource: 'r', createdAt: Date.now(), expiresAt });
      await grants.putAccessToken(`at-${objectId}`, { grantId: `g-${objectId}`, tenantId, objectId, subject: objectId, clientId: 'c', scopes: [], resource: 'r', expiresAt });
    }

    const result = await admin(['revoke', '--tenant', tenantId, '--user', 'user-a'], env);
    expect(result.code, result.stderr).toBe(0);
    // stdout is the result alone; the audit event goes to stderr (AUDIT_DESTINATION=stdout).
    expect(JSON.parse(result.stdout)).toMatchObject({ usersRevoked: 1, grantsRevoked: 1, microsoftTokensDeleted: 1 });
    expect(auditEvents(result.stderr).map((e) => [e.action, e.outcome])).toContainEqual(['operator.revoke', 'success']);
    expect(await tokens.get(tenantId, 'user-a')).toBeNull();
    expect(await sessions.get('s-user-a')).toBeNull();
    expect(await grants.getGrant('g-user-a')).toBeNull();
    expect(await grants.getAccessToken('at-user-a')).toBeNull();
    expect(await tokens.get(tenantId, 'user-b')).not.toBeNull();
    expect(await sessions.get('s-user-b')).not.toBeNull();
    expect(await grants.getAccessToken('at-user-b')).not.toBeNull();

    // Redis unreachable: the whole tenant is still revoked in DynamoDB.
    const down = await admin(['revoke', '--tenant', tenantId], { ...env, REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    expect(down.code, down.stderr).toBe(0);
    expect(JSON.parse(down.stdout)).toMatchObject({ usersRevoked: 1, grantsRevoked: 1, microsoftTokensDeleted: 1 });
    expect(await grants.getAccessToken('at-user-b')).toBeNull();
    expect(await tokens.get(tenantId, 'user-b')).toBeNull();
  });

  it('refuses bad arguments and memory mode', async () => {
    expect((await admin(['revoke'], {})).code).toBe(64);
    expect((await admin(['revoke', '--tenant', 'x;rm -rf'], {})).code).toBe(64);
    const memory = await admin(['revoke', '--tenant', 'tenant-1'], {});
    expect(memory.code).toBe(78);
    expect(memory.stderr).toContain('STORAGE=aws');
  });
});
