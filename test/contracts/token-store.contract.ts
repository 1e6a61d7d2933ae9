import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { StoredTokens, TokenStore } from '../../src/ports/token-store.js';

export interface TokenStoreSubject {
  store: TokenStore;
  now(): number;
  /** Moves time past expiries (a ManualClock, or a real wait). */
  advance(ms: number): Promise<void>;
  /** Plants malformed data where the record of (tenantId, objectId) lives. */
  corrupt(tenantId: string, objectId: string): Promise<void>;
  close?(): Promise<void>;
}

export function describeTokenStoreContract(options: {
  make: () => Promise<TokenStoreSubject>;
}): void {
  describe('TokenStore contract', () => {
    let subject: TokenStoreSubject | undefined;
    const make = async (): Promise<TokenStoreSubject> => (subject = await options.make());
    afterEach(async () => {
      await subject?.close?.();
      subject = undefined;
    });

    const record = (s: TokenStoreSubject, overrides: Partial<StoredTokens> = {}): StoredTokens => ({
      tenantId: `t-${randomUUID()}`,
      objectId: `o-${randomUUID()}`,
      sealed: `sealed-${randomUUID()}`,
      version: 1,
      expiresAt: s.now() + 3_600_000,
      ...overrides,
    });

    it('returns null for an unknown user', async () => {
      const s = await make();
      expect(await s.store.get(`t-${randomUUID()}`, 'nobody')).toBeNull();
    });

    it('stores version 1 once and reads it back', async () => {
      const s = await make();
      const first = record(s);
      expect(await s.store.put(first)).toBe(true);
      expect(await s.store.get(first.tenantId, first.objectId)).toEqual(first);
      expect(await s.store.put({ ...first, sealed: 'other' })).toBe(false);
      expect((await s.store.get(first.tenantId, first.objectId))?.sealed).toBe(first.sealed);
    });

    it('accepts only the next version', async () => {
      const s = await make();
      const first = record(s);
      await s.store.put(first);
      expect(await s.store.put({ ...first, version: 3, sealed: 'skipped-one' })).toBe(false);
      expect(await s.store.put({ ...first, version: 2, sealed: 'second' })).toBe(true);
      expect(await s.store.put({ ...first, version: 2, sealed: 'stale-writer' })).toBe(false);
      expect(await s.store.get(first.tenantId, first.objectId)).toMatchObject({
        version: 2,
        sealed: 'second',
      });
    });

    it(
      'lets exactly one of many concurrent writers of the same version win',
      async () => {
        const s = await make();
        const first = record(s);
        await s.store.put(first);
        const writers = Array.from({ length: 25 }, (_, i) => ({
          ...first,
          version: 2,
          sealed: `writer-${i}`,
        }));
        const results = await Promise.all(writers.map((w) => s.store.put(w)));
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = writers[results.indexOf(true)];
        expect((await s.store.get(first.tenantId, first.objectId))?.sealed).toBe(winner?.sealed);
      },
    );

    it('lets exactly one of many concurrent first writers win', async () => {
      const s = await make();
      const base = record(s);
      const results = await Promise.all(
        Array.from({ length: 25 }, (_, i) => s.store.put({ ...base, sealed: `w-${i}` })),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it(
      'treats an expired record as absent and lets version 1 replace it',
      async () => {
        const s = await make();
        const first = record(s, { expiresAt: s.now() + 1_000 });
        await s.store.put(first);
        await s.advance(1_500);
        expect(await s.store.get(first.tenantId, first.objectId)).toBeNull();
        expect(await s.store.listUsers(first.tenantId)).toEqual([]);
        const fresh = { ...first, sealed: 'fresh', expiresAt: s.now() + 60_000 };
        expect(await s.store.put(fresh)).toBe(true);
        expect((await s.store.get(first.tenantId, first.objectId))?.sealed).toBe('fresh');
      },
    );

    it('deletes a record, and deleting nothing is harmless', async () => {
      const s = await make();
      const first = record(s);
      await s.store.put(first);
      await s.store.delete(first.tenantId, first.objectId);
      await s.store.delete(first.tenantId, first.objectId);
      expect(await s.store.get(first.tenantId, first.objectId)).toBeNull();
      expect(await s.store.put(first)).toBe(true);
    });

    it('lists the users of one tenant only', async () => {
      const s = await make();
      const tenantId = `t-${randomUUID()}`;
      const users = ['alice', 'bob', 'carol'].map((name) =>
        record(s, { tenantId, objectId: `${name}-${randomUUID()}` }),
      );
      for (const u of users) await s.store.put(u);
      await s.store.put(record(s));
      expect((await s.store.listUsers(tenantId)).sort()).toEqual(users.map((u) => u.objectId).sort());
    });

    it(
      'reads malformed stored data as absent and lets a new sign-in replace it',
      async () => {
        const s = await make();
        const first = record(s);
        await s.store.put(first);
        await s.corrupt(first.tenantId, first.objectId);
        expect(await s.store.get(first.tenantId, first.objectId)).toBeNull();
        expect(await s.store.put({ ...first, sealed: 'after-corruption' })).toBe(true);
        expect((await s.store.get(first.tenantId, first.objectId))?.sealed).toBe('after-corruption');
      },
    );
  });
}
