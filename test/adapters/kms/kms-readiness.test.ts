import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKmsClient } from '../../../src/adapters/kms/kms-client.js';
import { kmsReadinessCheck } from '../../../src/adapters/kms/kms-readiness.js';
import { ManualClock } from '../../../src/adapters/memory/manual-clock.js';
import { startFakeKms } from '../../support/fake-kms-server.js';
import type { FakeKms } from '../../support/fake-kms-server.js';

let kms: FakeKms;
beforeAll(async () => {
  kms = await startFakeKms();
});
afterAll(async () => kms.close());

const client = (): ReturnType<typeof createKmsClient> =>
  createKmsClient({ region: 'us-east-1', endpoint: kms.endpoint, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const signal = (): AbortSignal => AbortSignal.timeout(2_000);
const generated = (): number => kms.calls['GenerateDataKey'] ?? 0;

describe('kmsReadinessCheck', () => {
  it('passes for an enabled key and fails for an unknown one', async () => {
    await expect(kmsReadinessCheck(client(), kms.createKey()).check(signal())).resolves.toBeUndefined();
    await expect(kmsReadinessCheck(client(), 'nope').check(signal())).rejects.toThrow(/does not exist/);
  });

  it('probes KMS at most once per cache interval however often /readyz is polled, failures included', async () => {
    const clock = new ManualClock();
    const check = kmsReadinessCheck(client(), kms.createKey(), { cacheMs: 10_000, clock });
    const before = generated();
    await Promise.all(Array.from({ length: 20 }, () => check.check(signal())));
    await check.check(signal());
    expect(generated() - before).toBe(1);
    clock.advance(10_000);
    await check.check(signal());
    expect(generated() - before).toBe(2);

    const failing = kmsReadinessCheck(client(), 'nope', { cacheMs: 10_000, clock });
    await expect(failing.check(signal())).rejects.toThrow(/does not exist/);
    await expect(failing.check(signal())).rejects.toThrow(/does not exist/);
    expect(generated() - before).toBe(3);
  });

  it('probes every time with a zero interval', async () => {
    const check = kmsReadinessCheck(client(), kms.createKey(), { cacheMs: 0, clock: new ManualClock() });
    const before = generated();
    for (let i = 0; i < 3; i += 1) await check.check(signal());
    expect(generated() - before).toBe(3);
  });
});
