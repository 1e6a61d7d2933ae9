import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll } from 'vitest';
import { DynamoSessionStore } from '../../../src/adapters/dynamo/dynamo-session-store.js';
import { ManualClock } from '../../../src/adapters/memory/manual-clock.js';
import { describeSessionStoreContract } from '../../contracts/session-store.contract.js';
import { makeTestTables, startDynalite } from '../../support/dynamo.js';
import type { Emulator, TestTables } from '../../support/dynamo.js';

let emulator: Emulator;
let t: TestTables;
beforeAll(async () => {
  emulator = await startDynalite();
  t = await makeTestTables(emulator.endpoint);
});
afterAll(async () => emulator.close());

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
