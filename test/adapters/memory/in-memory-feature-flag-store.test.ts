import {
  FLAGS_ENTRY_KEY,
  InMemoryFeatureFlagStore,
} from '../../../src/adapters/memory/in-memory-feature-flag-store.js';
import { describeFeatureFlagStoreContract } from '../../contracts/feature-flag-store.contract.js';

describeFeatureFlagStoreContract({
  make: async () => {
    const entries = new Map<string, string>();
    return {
      store: new InMemoryFeatureFlagStore(entries),
      corrupt: async () => void entries.set(FLAGS_ENTRY_KEY, '{"disabled":"mail"}'),
    };
  },
});
