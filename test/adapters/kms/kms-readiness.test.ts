import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKmsClient } from '../../../src/adapters/kms/kms-client.js';
import { kmsReadinessCheck } from '../../../src/adapters/kms/kms-readiness.js';
import { startFakeKms } from '../../support/fake-kms-server.js';
import type { FakeKms } from '../../support/fake-kms-server.js';

let kms: FakeKms;
beforeAll(async () => {
  kms = await startFakeKms();
});
afterAll(async () => kms.close());

describe('kmsReadinessCheck', () => {
  it('passes for an enabled key and fails for an unknown one', async () => {
    const client = createKmsClient({
      region: 'us-east-1',
      endpoint: kms.endpoint,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    await expect(
      kmsReadinessCheck(client, kms.createKey()).check(AbortSignal.timeout(2_000)),
    ).resolves.toBeUndefined();
    await expect(kmsReadinessCheck(client, 'nope').check(AbortSignal.timeout(2_000))).rejects.toThrow(
      /does not exist/,
    );
  });
});
