import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoIdempotencyStore } from '../../../src/adapters/dynamo/dynamo-idempotency-store.js';
import { ManualClock } from '../../../src/adapters/memory/manual-clock.js';
import { describeIdempotencyStoreContract } from '../../contracts/idempotency-store.contract.js';
import { emulatorTablesForFile } from '../../support/dynamo.js';

const t = emulatorTablesForFile();

describeIdempotencyStoreContract({
  make: async () => {
    const clock = new ManualClock(Date.now());
    return {
      store: new DynamoIdempotencyStore(t.executor, t.names.idempotency, clock),
      advance: async (ms) => clock.advance(ms),
      corrupt: async (key) =>
        void (await t.client.send(
          new PutItemCommand({
            TableName: t.names.idempotency,
            Item: { pk: { S: key }, fingerprint: { N: '7' }, state: { S: 'weird' } },
          }),
        )),
    };
  },
});
