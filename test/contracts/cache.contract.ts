import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Cache } from '../../src/ports/cache.js';
import { PAST_SHORT_TTL_MS, SHORT_TTL_MS } from './contract-case.js';

export interface CacheSubject {
  cache: Cache;
  advance(ms: number): Promise<void>;
  close?(): Promise<void>;
}

export function describeCacheContract(options: {
  make: () => Promise<CacheSubject>;
}): void {
  describe('Cache contract', () => {
    let subject: CacheSubject | undefined;
    const make = async (): Promise<CacheSubject> => (subject = await options.make());
    afterEach(async () => {
      await subject?.close?.();
      subject = undefined;
    });
    const newKey = (): string => `cache-${randomUUID()}`;

    it('stores, overwrites and deletes values', async () => {
      const s = await make();
      const key = newKey();
      expect(await s.cache.get(key)).toBeNull();
      await s.cache.set(key, 'one', 60_000);
      expect(await s.cache.get(key)).toBe('one');
      await s.cache.set(key, 'two', 60_000);
      expect(await s.cache.get(key)).toBe('two');
      await s.cache.delete(key);
      await s.cache.delete(key);
      expect(await s.cache.get(key)).toBeNull();
    });

    it('forgets a value after its TTL', async () => {
      const s = await make();
      const key = newKey();
      await s.cache.set(key, 'short', SHORT_TTL_MS);
      await s.advance(PAST_SHORT_TTL_MS);
      expect(await s.cache.get(key)).toBeNull();
    });

    it('keeps every one of many concurrent writes to distinct keys', async () => {
      const s = await make();
      const keys = Array.from({ length: 40 }, newKey);
      await Promise.all(keys.map((key) => s.cache.set(key, `v-${key}`, 60_000)));
      expect(await Promise.all(keys.map((key) => s.cache.get(key)))).toEqual(keys.map((key) => `v-${key}`));
    });
  });
}
