import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DynamoFeatureFlagStore,
  FLAGS_ITEM_KEY,
} from '../../../src/adapters/dynamo/dynamo-feature-flag-store.js';
import { ManualClock } from '../../../src/adapters/memory/manual-clock.js';
import { describeFeatureFlagStoreContract } from '../../contracts/feature-flag-store.contract.js';
import { makeTestTable, startDynalite } from '../../support/dynamo.js';
import type { Emulator } from '../../support/dynamo.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startDynalite();
});
afterAll(async () => emulator.close());

describeFeatureFlagStoreContract({
  make: async () => {
    const t = await makeTestTable(emulator.endpoint, 'flags');
    return {
      store: new DynamoFeatureFlagStore(t.executor, t.names.flags, new ManualClock()),
      corrupt: async () =>
        void (await t.client.send(
          new PutItemCommand({
            TableName: t.names.flags,
            Item: { pk: { S: FLAGS_ITEM_KEY }, data: { S: 'nope' } },
          }),
        )),
    };
  },
});

describe('DynamoFeatureFlagStore cache', () => {
  it('serves a read from process memory for cacheMs, then reads the table again', async () => {
    const t = await makeTestTable(emulator.endpoint, 'flags');
    const clock = new ManualClock();
    const writer = new DynamoFeatureFlagStore(t.executor, t.names.flags, clock);
    const reader = new DynamoFeatureFlagStore(t.executor, t.names.flags, clock, 5_000);
    expect(await reader.read()).toEqual({ disabled: [] });
    await writer.write({ disabled: ['mail'] });
    expect(await reader.read()).toEqual({ disabled: [] });
    clock.advance(5_001);
    expect(await reader.read()).toEqual({ disabled: ['mail'] });
  });
});
