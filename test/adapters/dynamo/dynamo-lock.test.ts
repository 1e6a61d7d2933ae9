import { afterAll, beforeAll } from 'vitest';
import { DynamoLock } from '../../../src/adapters/dynamo/dynamo-lock.js';
import { ManualClock } from '../../../src/adapters/memory/manual-clock.js';
import { describeLockContract } from '../../contracts/lock.contract.js';
import { makeTestTables, startDynalite } from '../../support/dynamo.js';
import type { Emulator, TestTables } from '../../support/dynamo.js';

let emulator: Emulator;
let t: TestTables;
beforeAll(async () => {
  emulator = await startDynalite();
  t = await makeTestTables(emulator.endpoint);
});
afterAll(async () => emulator.close());

describeLockContract({
  make: async () => {
    const clock = new ManualClock(Date.now());
    return {
      lock: new DynamoLock(t.executor, t.names.locks, clock),
      advance: async (ms) => clock.advance(ms),
    };
  },
});
