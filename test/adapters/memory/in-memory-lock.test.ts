import { InMemoryLock } from '../../../src/adapters/memory/in-memory-lock.js';
import { ManualClock } from '../../../src/adapters/memory/manual-clock.js';
import { describeLockContract } from '../../contracts/lock.contract.js';

describeLockContract({
  make: async () => {
    const clock = new ManualClock();
    return { lock: new InMemoryLock(clock), advance: async (ms) => clock.advance(ms) };
  },
});
