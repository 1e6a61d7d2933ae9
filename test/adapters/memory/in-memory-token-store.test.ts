import { InMemoryTokenStore, tokenEntryKey } from '../../../src/adapters/memory/in-memory-token-store.js';
import { ManualClock } from '../../../src/adapters/memory/manual-clock.js';
import { describeTokenStoreContract } from '../../contracts/token-store.contract.js';

describeTokenStoreContract({
  make: async () => {
    const clock = new ManualClock();
    const entries = new Map<string, string>();
    return {
      store: new InMemoryTokenStore(clock, entries),
      now: () => clock.now(),
      advance: async (ms) => clock.advance(ms),
      corrupt: async (tenantId, objectId) =>
        void entries.set(tokenEntryKey(tenantId, objectId), '{"version":"x"'),
    };
  },
});
