import { InMemoryRateLimiter } from '../../../src/adapters/memory/in-memory-rate-limiter.js';
import { ManualClock } from '../../../src/adapters/memory/manual-clock.js';
import { describeRateLimiterContract } from '../../contracts/rate-limiter.contract.js';

describeRateLimiterContract({
  make: async () => {
    const clock = new ManualClock();
    return { limiter: new InMemoryRateLimiter(clock), advance: async (ms) => clock.advance(ms) };
  },
});
