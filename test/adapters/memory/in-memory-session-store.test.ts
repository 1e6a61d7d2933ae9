import { InMemorySessionStore } from '../../../src/adapters/memory/in-memory-session-store.js';
import { ManualClock } from '../../../src/adapters/memory/manual-clock.js';
import { describeSessionStoreContract } from '../../contracts/session-store.contract.js';

describeSessionStoreContract({
  make: async () => {
    const clock = new ManualClock();
    const entries = new Map<string, string>();
    return {
      store: new InMemorySessionStore(clock, entries),
      now: () => clock.now(),
      advance: async (ms) => clock.advance(ms),
      corrupt: async (id) => void entries.set(id, '{"id": 42}'),
    };
  },
});
