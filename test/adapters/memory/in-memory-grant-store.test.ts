import { InMemoryGrantStore } from '../../../src/adapters/memory/in-memory-grant-store.js';
import { InMemoryOAuthClientStore } from '../../../src/adapters/memory/in-memory-oauth-client-store.js';
import { describeGrantStoreContract } from '../../contracts/grant-store.contract.js';
import { describeOAuthClientStoreContract } from '../../contracts/oauth-client-store.contract.js';
import { ManualClock } from '../../support/stores.js';

describeGrantStoreContract({
  name: 'InMemoryGrantStore',
  make: async () => {
    const clock = new ManualClock();
    return { store: new InMemoryGrantStore(clock), advance: (ms) => clock.advance(ms), now: () => clock.now() };
  },
});

describeOAuthClientStoreContract({
  name: 'InMemoryOAuthClientStore',
  make: async () => {
    const clock = new ManualClock();
    return { store: new InMemoryOAuthClientStore(clock), advance: (ms) => clock.advance(ms), now: () => clock.now() };
  },
});
