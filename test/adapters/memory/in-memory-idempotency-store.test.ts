import { InMemoryIdempotencyStore } from '../../../src/adapters/memory/in-memory-idempotency-store.js';
import { ManualClock } from '../../../src/adapters/memory/manual-clock.js';
import { describeIdempotencyStoreContract } from '../../contracts/idempotency-store.contract.js';

describeIdempotencyStoreContract({
  make: async () => {
    const clock = new ManualClock();
    const entries = new Map<string, string>();
    return {
      store: new InMemoryIdempotencyStore(clock, entries),
      advance: async (ms) => clock.advance(ms),
      corrupt: async (key) => void entries.set(key, 'not json'),
    };
  },
});
