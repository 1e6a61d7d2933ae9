import { InMemoryUploadSessionStore } from '../../../src/adapters/memory/in-memory-upload-session-store.js';
import { describeUploadSessionStoreContract } from '../../contracts/upload-session-store.contract.js';

describeUploadSessionStoreContract({
  make: async () => {
    let now = 1_700_000_000_000;
    return { store: new InMemoryUploadSessionStore({ now: () => now }), now: () => now, advance: async (ms) => void (now += ms) };
  },
});
