import { DynamoLock } from '../../../src/adapters/dynamo/dynamo-lock.js';
import { ManualClock } from '../../../src/adapters/memory/manual-clock.js';
import { describeLockContract } from '../../contracts/lock.contract.js';
import { emulatorTablesForFile } from '../../support/dynamo.js';

const t = emulatorTablesForFile();

describeLockContract({
  make: async () => {
    const clock = new ManualClock(Date.now());
    return {
      lock: new DynamoLock(t.executor, t.names.locks, clock),
      advance: async (ms) => clock.advance(ms),
    };
  },
});
