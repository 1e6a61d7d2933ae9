import { ScanCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoTokenStore, tokenPartitionKey } from '../../../src/adapters/dynamo/dynamo-token-store.js';
import { createKmsClient } from '../../../src/adapters/kms/kms-client.js';
import { KmsEncryptor } from '../../../src/adapters/kms/kms-encryptor.js';
import { ManualClock } from '../../../src/adapters/memory/manual-clock.js';
import type { EncryptionContext, Encryptor } from '../../../src/ports/encryptor.js';
import { makeTestTables, startDynalite } from '../../support/dynamo.js';
import type { Emulator, TestTables } from '../../support/dynamo.js';
import { startFakeKms } from '../../support/fake-kms-server.js';
import type { FakeKms } from '../../support/fake-kms-server.js';

let emulator: Emulator;
let kms: FakeKms;
let tables: TestTables;
beforeAll(async () => {
  [emulator, kms] = await Promise.all([startDynalite(), startFakeKms()]);
  tables = await makeTestTables(emulator.endpoint);
});
afterAll(async () => {
  await kms.close();
  await emulator.close();
});

const clock = new ManualClock(Date.now());
const PURPOSE = 'graph-token-cache';
const context = (tenantId: string, userId: string): EncryptionContext => ({
  tenantId,
  userId,
  purpose: PURPOSE,
});
const encryptor = (keyId: string): KmsEncryptor =>
  new KmsEncryptor(
    createKmsClient({
      region: 'us-east-1',
      endpoint: kms.endpoint,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    }),
    clock,
    {
      keyId,
    },
  );
const text = (value: string): Uint8Array => new TextEncoder().encode(value);

/** What the token provider does: seal the MSAL cache for this user and store it. */
async function storeTokens(
  store: DynamoTokenStore,
  enc: Encryptor,
  tenantId: string,
  objectId: string,
  cache: string,
  version = 1,
): Promise<boolean> {
  const sealed = await enc.encrypt(text(cache), context(tenantId, objectId));
  return store.put({ tenantId, objectId, sealed, version, expiresAt: clock.now() + 86_400_000 });
}

describe('tokens at rest (DynamoDB + KMS envelope)', () => {
  it("never stores a plaintext token, and one user cannot open another user's record", async () => {
    const store = new DynamoTokenStore(tables.executor, tables.names.tokens, clock);
    const enc = encryptor(kms.createKey());
    const secrets = Array.from(
      { length: 5 },
      (_, i) => `{"RefreshToken":{"secret":"0.AR-refresh-${i}-${'x'.repeat(40)}"}}`,
    );
    for (const [i, secret] of secrets.entries())
      await storeTokens(store, enc, 'tenant-a', `user-${i}`, secret);

    const { Items = [] } = await tables.client.send(new ScanCommand({ TableName: tables.names.tokens }));
    const dump = JSON.stringify(Items);
    expect(Items.length).toBeGreaterThanOrEqual(5);
    for (const secret of secrets) {
      expect(dump).not.toContain('0.AR-refresh');
      expect(dump).not.toContain(Buffer.from(secret).toString('base64').slice(0, 24));
    }

    const alice = await store.get('tenant-a', 'user-0');
    expect(
      new TextDecoder().decode(
        (await enc.decrypt(alice?.sealed ?? '', context('tenant-a', 'user-0'))).plaintext,
      ),
    ).toBe(secrets[0]);
    await expect(enc.decrypt(alice?.sealed ?? '', context('tenant-a', 'user-1'))).rejects.toMatchObject({
      category: 'auth_required',
      code: 'crypto.undecryptable',
    });
  });

  it('turns a corrupted stored ciphertext into a sign-in-again error', async () => {
    const store = new DynamoTokenStore(tables.executor, tables.names.tokens, clock);
    const enc = encryptor(kms.createKey());
    await storeTokens(store, enc, 'tenant-c', 'carol', 'carol-cache');
    const stored = await store.get('tenant-c', 'carol');
    const corrupted = `${stored?.sealed.slice(0, -6)}AAAAAA`;
    await tables.client.send(
      new UpdateItemCommand({
        TableName: tables.names.tokens,
        Key: { pk: { S: tokenPartitionKey('tenant-c', 'carol') } },
        UpdateExpression: 'SET sealed = :s',
        ExpressionAttributeValues: { ':s': { S: corrupted } },
      }),
    );
    const read = await store.get('tenant-c', 'carol');
    await expect(enc.decrypt(read?.sealed ?? '', context('tenant-c', 'carol'))).rejects.toMatchObject({
      category: 'auth_required',
    });
  });

  it('round-trips a key rotation with lazy re-encryption on read', async () => {
    const store = new DynamoTokenStore(tables.executor, tables.names.tokens, clock);
    const before = encryptor(kms.createKey());
    const after = encryptor(kms.createKey());
    await storeTokens(store, before, 'tenant-r', 'rita', 'rita-cache');

    // A read after rotation: opens under the old key, sees it is stale, re-seals and stores the next version.
    const stored = await store.get('tenant-r', 'rita');
    const opened = await after.decrypt(stored?.sealed ?? '', context('tenant-r', 'rita'));
    expect(opened.stale).toBe(true);
    expect(
      await storeTokens(
        store,
        after,
        'tenant-r',
        'rita',
        new TextDecoder().decode(opened.plaintext),
        (stored?.version ?? 0) + 1,
      ),
    ).toBe(true);

    const resealed = await store.get('tenant-r', 'rita');
    expect(resealed?.version).toBe(2);
    const reopened = await after.decrypt(resealed?.sealed ?? '', context('tenant-r', 'rita'));
    expect({ text: new TextDecoder().decode(reopened.plaintext), stale: reopened.stale }).toEqual({
      text: 'rita-cache',
      stale: false,
    });
  });
});
