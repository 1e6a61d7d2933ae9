import { describe, expect, it } from 'vitest';
import { InMemoryCache } from '../../../src/adapters/memory/in-memory-cache.js';
import { ManualClock } from '../../../src/adapters/memory/manual-clock.js';
import { describeCacheContract } from '../../contracts/cache.contract.js';

describeCacheContract({
  make: async () => {
    const clock = new ManualClock();
    return { cache: new InMemoryCache(clock), advance: async (ms) => clock.advance(ms) };
  },
});

describe('InMemoryCache bounds', () => {
  it('evicts the oldest entry when full', async () => {
    const cache = new InMemoryCache(new ManualClock(), 2);
    await cache.set('a', '1', 1_000);
    await cache.set('b', '2', 1_000);
    await cache.set('c', '3', 1_000);
    expect([await cache.get('a'), await cache.get('b'), await cache.get('c')]).toEqual([null, '2', '3']);
  });
});
