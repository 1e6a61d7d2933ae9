import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoReadinessCheck } from '../../../src/adapters/dynamo/dynamo-readiness.js';
import { defaultTableNames } from '../../../src/adapters/dynamo/table-definitions.js';
import { emulatorClient, makeTestTables, startDynalite } from '../../support/dynamo.js';
import type { Emulator } from '../../support/dynamo.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startDynalite();
});
afterAll(async () => emulator.close());

describe('dynamoReadinessCheck', () => {
  it('passes when every table is active and names a missing one', async () => {
    const t = await makeTestTables(emulator.endpoint);
    await expect(
      dynamoReadinessCheck(t.client, t.names).check(AbortSignal.timeout(5_000)),
    ).resolves.toBeUndefined();
    const missing = defaultTableNames('absent-');
    await expect(
      dynamoReadinessCheck(emulatorClient(emulator.endpoint), missing).check(AbortSignal.timeout(5_000)),
    ).rejects.toThrow(/table absent-\w+ does not exist/);
  });
});
