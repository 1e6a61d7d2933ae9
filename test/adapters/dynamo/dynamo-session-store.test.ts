import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoSessionStore } from '../../../src/adapters/dynamo/dynamo-session-store.js';
import { ManualClock } from '../../../src/adapters/memory/manual-clock.js';
import { describeSessionStoreContract } from '../../contracts/session-store.contract.js';
import { emulatorTablesForFile } from '../../support/dynamo.js';

const t = emulatorTablesForFile();

describeSessionStoreContract({
  make: async () => {
    const clock = new ManualClock(Date.now());
    return {
      store: new DynamoSessionStore(t.executor, t.names.sessions, clock),
      now: () => clock.now(),
      advance: async (ms) => clock.advance(ms),
      corrupt: async (id) =>
        void (await t.client.send(
          new PutItemCommand({ TableName: t.names.sessions, Item: { pk: { S: id }, data: { S: '{"id":' } } }),
        )),
    };
  },
});
