import { describe, expect, it } from 'vitest';
import type { AccessTokenRecord, Grant, GrantStore, PendingAuthorization } from '../../src/ports/grant-store.js';

export interface GrantStoreHarness {
  store: GrantStore;
  /** Moves the store's notion of time forward. */
  advance(ms: number): void;
  now(): number;
}

export function describeGrantStoreContract(options: { name: string; make: () => Promise<GrantStoreHarness>}): void {
  describe(`GrantStore contract: ${options.name}`, () => {
    const grant = (h: GrantStoreHarness, id: string, objectId = 'o1'): Grant => ({ id, tenantId: 't1', objectId, subject: 's', clientId: 'c', scopes: ['Mail.Read'], resource: 'https://r/mcp', createdAt: h.now(), expiresAt: h.now() + 60_000 });
    const access = (h: GrantStoreHarness, grantId: string): AccessTokenRecord => ({ grantId, tenantId: 't1', objectId: 'o1', subject: 's', clientId: 'c', scopes: [], resource: 'https://r/mcp', expiresAt: h.now() + 1000 });
    const pending = (h: GrantStoreHarness): PendingAuthorization => ({ clientId: 'c', redirectUri: 'https://c/cb', state: 's', codeChallenge: 'x', resource: 'r', scopes: [], csrfToken: 'k', expiresAt: h.now() + 1000 });

    it('takes a pending authorization and a code exactly once', async () => {
      const h = await options.make();
      await h.store.putPending('p', pending(h));
      expect(await h.store.getPending('p')).toMatchObject({ csrfToken: 'k' });
      const taken = await Promise.all([h.store.takePending('p'), h.store.takePending('p')]);
      expect(taken.filter((t) => t !== null)).toHaveLength(1);
      await h.store.putCode('c1', { grantId: 'g', clientId: 'c', redirectUri: 'u', codeChallenge: 'x', resource: 'r', expiresAt: h.now() + 1000 });
      const codes = await Promise.all([h.store.takeCode('c1'), h.store.takeCode('c1')]);
      expect(codes.filter((t) => t !== null)).toHaveLength(1);
    });

    it('lets exactly one of many concurrent callers take a code, a pending authorization or a refresh token first', async () => {
      const h = await options.make();
      const n = 12;
      await h.store.putCode('cc', { grantId: 'g', clientId: 'c', redirectUri: 'u', codeChallenge: 'x', resource: 'r', expiresAt: h.now() + 10_000 });
      await h.store.putPending('pp', { ...pending(h), expiresAt: h.now() + 10_000 });
      await h.store.putRefreshToken('rr', { grantId: 'g', expiresAt: h.now() + 10_000 });
      const [codes, pendings, uses] = await Promise.all([
        Promise.all(Array.from({ length: n }, () => h.store.takeCode('cc'))),
        Promise.all(Array.from({ length: n }, () => h.store.takePending('pp'))),
        Promise.all(Array.from({ length: n }, () => h.store.useRefreshToken('rr'))),
      ]);
      expect(codes.filter((c) => c !== null)).toEqual([expect.objectContaining({ grantId: 'g' })]);
      expect(pendings.filter((p) => p !== null)).toHaveLength(1);
      expect(uses.filter((u) => u?.status === 'fresh')).toHaveLength(1);
      expect(uses.filter((u) => u?.status === 'reused')).toHaveLength(n - 1);
    });

    it('updates a pending authorization only while it exists', async () => {
      const h = await options.make();
      expect(await h.store.updatePending('none', pending(h))).toBe(false);
      await h.store.putPending('p', pending(h));
      expect(await h.store.updatePending('p', { ...pending(h), entraCodeVerifier: 'v' })).toBe(true);
      expect((await h.store.getPending('p'))?.entraCodeVerifier).toBe('v');
    });

    it('expires every kind of record', async () => {
      const h = await options.make();
      await h.store.putPending('p', pending(h));
      await h.store.putAccessToken('a', access(h, 'g'));
      await h.store.putRefreshToken('r', { grantId: 'g', expiresAt: h.now() + 1000 });
      await h.store.putCode('c', { grantId: 'g', clientId: 'c', redirectUri: 'u', codeChallenge: 'x', resource: 'r', expiresAt: h.now() + 1000 });
      h.advance(1001);
      expect(await h.store.getPending('p')).toBeNull();
      expect(await h.store.getAccessToken('a')).toBeNull();
      expect(await h.store.useRefreshToken('r')).toBeNull();
      expect(await h.store.takeCode('c')).toBeNull();
    });

    it('reports the first refresh-token use as fresh and every later one as reused', async () => {
      const h = await options.make();
      await h.store.putRefreshToken('r', { grantId: 'g', expiresAt: h.now() + 1000 });
      const uses = await Promise.all([h.store.useRefreshToken('r'), h.store.useRefreshToken('r'), h.store.useRefreshToken('r')]);
      expect(uses.map((u) => u?.status).sort()).toEqual(['fresh', 'reused', 'reused']);
      expect(await h.store.useRefreshToken('unknown')).toBeNull();
    });

    it('revoking a grant removes its tokens and codes but not other grants', async () => {
      const h = await options.make();
      await h.store.putGrant(grant(h, 'g1'));
      await h.store.putGrant(grant(h, 'g2', 'o2'));
      await h.store.putAccessToken('a1', access(h, 'g1'));
      await h.store.putAccessToken('a2', access(h, 'g2'));
      await h.store.putRefreshToken('r1', { grantId: 'g1', expiresAt: h.now() + 1000 });
      await h.store.putCode('c1', { grantId: 'g1', clientId: 'c', redirectUri: 'u', codeChallenge: 'x', resource: 'r', expiresAt: h.now() + 1000 });
      expect((await h.store.grantIdsForTenant('t1')).sort()).toEqual(['g1', 'g2']);
      expect(await h.store.grantIdsForUser('t1', 'o1')).toEqual(['g1']);
      await h.store.revokeGrant('g1');
      expect(await h.store.getGrant('g1')).toBeNull();
      expect(await h.store.getAccessToken('a1')).toBeNull();
      expect(await h.store.useRefreshToken('r1')).toBeNull();
      expect(await h.store.takeCode('c1')).toBeNull();
      expect(await h.store.getAccessToken('a2')).not.toBeNull();
      expect(await h.store.grantIdsForUser('t1', 'o1')).toEqual([]);
    });

    it('deletes a single access token', async () => {
      const h = await options.make();
      await h.store.putAccessToken('a', access(h, 'g'));
      await h.store.deleteAccessToken('a');
      expect(await h.store.getAccessToken('a')).toBeNull();
    });
  });
}
