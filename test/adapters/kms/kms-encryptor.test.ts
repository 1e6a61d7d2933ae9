import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKmsClient } from '../../../src/adapters/kms/kms-client.js';
import { KmsEncryptor } from '../../../src/adapters/kms/kms-encryptor.js';
import type { KmsEncryptorOptions } from '../../../src/adapters/kms/kms-encryptor.js';
import { ManualClock } from '../../../src/adapters/memory/manual-clock.js';
import { describeEncryptorContract } from '../../contracts/encryptor.contract.js';
import { startFakeKms } from '../../support/fake-kms-server.js';
import type { FakeKms } from '../../support/fake-kms-server.js';

let kms: FakeKms;
beforeAll(async () => {
  kms = await startFakeKms();
});
afterAll(async () => kms.close());

const ALICE = { tenantId: 'tenant-1', userId: 'alice', purpose: 'graph-token-cache' };
const bytes = (value: string): Uint8Array => new TextEncoder().encode(value);

function encryptor(
  options: Partial<KmsEncryptorOptions> & { keyId: string },
  clock = new ManualClock(),
): KmsEncryptor {
  const client = createKmsClient({
    region: 'us-east-1',
    endpoint: kms.endpoint,
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  });
  return new KmsEncryptor(client, clock, {
    retry: { retries: 2, initialDelayMs: 5, maxDelayMs: 20 },
    ...options,
  });
}

describeEncryptorContract({
  make: async () => {
    const oldKey = kms.createKey();
    const newKey = kms.createKey();
    return { encryptor: encryptor({ keyId: oldKey }), rotated: encryptor({ keyId: newKey }) };
  },
});

describe('KmsEncryptor data-key cache', () => {
  it('reuses a data key per context up to maxUses, then asks KMS again', async () => {
    const keyId = kms.createKey();
    const subject = encryptor({ keyId, dataKeyMaxUses: 3 });
    const before = kms.calls.GenerateDataKey ?? 0;
    for (let i = 0; i < 7; i += 1) await subject.encrypt(bytes(`t${i}`), ALICE);
    expect((kms.calls.GenerateDataKey ?? 0) - before).toBe(3);
  });

  it('asks KMS again once a data key is older than maxAge', async () => {
    const keyId = kms.createKey();
    const clock = new ManualClock();
    const subject = encryptor({ keyId, dataKeyMaxAgeMs: 1_000 }, clock);
    const before = kms.calls.GenerateDataKey ?? 0;
    await subject.encrypt(bytes('a'), ALICE);
    await subject.encrypt(bytes('b'), ALICE);
    clock.advance(1_000);
    await subject.encrypt(bytes('c'), ALICE);
    expect((kms.calls.GenerateDataKey ?? 0) - before).toBe(2);
  });

  it('keeps a separate data key per user, and decrypts from cache without calling KMS', async () => {
    const keyId = kms.createKey();
    const subject = encryptor({ keyId });
    const generated = kms.calls.GenerateDataKey ?? 0;
    const alice = await subject.encrypt(bytes('a'), ALICE);
    await subject.encrypt(bytes('b'), { ...ALICE, userId: 'bob' });
    expect((kms.calls.GenerateDataKey ?? 0) - generated).toBe(2);
    const decrypts = kms.calls.Decrypt ?? 0;
    await subject.decrypt(alice, ALICE);
    await subject.decrypt(alice, ALICE);
    expect((kms.calls.Decrypt ?? 0) - decrypts).toBe(1);
  });

  it('with caching off, calls KMS for every operation', async () => {
    const keyId = kms.createKey();
    const subject = encryptor({ keyId, dataKeyMaxUses: 0 });
    const before = { g: kms.calls.GenerateDataKey ?? 0, d: kms.calls.Decrypt ?? 0 };
    const sealed = await subject.encrypt(bytes('a'), ALICE);
    await subject.encrypt(bytes('b'), ALICE);
    await subject.decrypt(sealed, ALICE);
    await subject.decrypt(sealed, ALICE);
    expect([(kms.calls.GenerateDataKey ?? 0) - before.g, (kms.calls.Decrypt ?? 0) - before.d]).toEqual([
      2, 2,
    ]);
  });
});

describe('KmsEncryptor under KMS throttling', () => {
  it('retries throttled calls with backoff and succeeds', async () => {
    const subject = encryptor({ keyId: kms.createKey() });
    kms.throttleNext(2);
    const sealed = await subject.encrypt(bytes('survives'), ALICE);
    expect(new TextDecoder().decode((await subject.decrypt(sealed, ALICE)).plaintext)).toBe('survives');
  });

  it('surfaces unavailable (retryable) once retries are exhausted', async () => {
    const subject = encryptor({ keyId: kms.createKey() });
    kms.throttleNext(3);
    await expect(subject.encrypt(bytes('x'), ALICE)).rejects.toMatchObject({
      category: 'unavailable',
      code: 'kms.unavailable',
      retryable: true,
    });
  });

  it('maps an unknown key to an internal error, not a sign-in loop', async () => {
    await expect(encryptor({ keyId: 'missing' }).encrypt(bytes('x'), ALICE)).rejects.toMatchObject({
      category: 'internal',
      code: 'kms.failed',
    });
  });
});
