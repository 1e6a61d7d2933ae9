import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoTokenStore, tokenPartitionKey } from '../../../src/adapters/dynamo/dynamo-token-store.js';
import { ManualClock } from '../../../src/adapters/memory/manual-clock.js';
import { describeTokenStoreContract } from '../../contracts/token-store.contract.js';
import { emulatorTablesForFile } from '../../support/dynamo.js';

const t = emulatorTablesForFile();

describeTokenStoreContract({
  make: async () => {
    const clock = new ManualClock(Date.now());
    return {
      store: new DynamoTokenStore(t.executor, t.names.tokens, clock),
      now: () => clock.now(),
      advance: async (ms) => clock.advance(ms),
      corrupt: async (tenantId, objectId) =>
        void (await t.client.send(
          new PutItemCommand({
            TableName: t.names.tokens,
            Item: {
              pk: { S: tokenPartitionKey(tenantId, objectId) },
              version: { S: 'two' },
              expiresAtMs: { N: String(clock.now() + 60_000) },
            },
          }),
        )),
    };
  },
});

describe('DynamoTokenStore items', () => {
  it('carries a TTL attribute in epoch seconds next to the exact expiry', async () => {
    const clock = new ManualClock(Date.now());
    const store = new DynamoTokenStore(t.executor, t.names.tokens, clock);
    const expiresAt = clock.now() + 90_000_000;
    await store.put({ tenantId: 't-ttl', objectId: 'o', sealed: 'x', version: 1, expiresAt });
    const { Item } = await t.client.send(
      new GetItemCommand({ TableName: t.names.tokens, Key: { pk: { S: 't-ttl#o' } } }),
    );
    expect(Item?.expiresAt).toEqual({ N: String(Math.ceil(expiresAt / 1000)) });
    expect(Item?.expiresAtMs).toEqual({ N: String(expiresAt) });
  });
});
