import { describe, expect, it } from 'vitest';
import type { OAuthClientStore } from '../../src/ports/oauth-client-store.js';

export function describeOAuthClientStoreContract(options: { name: string; make: () => Promise<{ store: OAuthClientStore; advance(ms: number): void; now(): number }>}): void {
  describe(`OAuthClientStore contract: ${options.name}`, () => {
    it('stores, returns copies and expires clients', async () => {
      const h = await options.make();
      await h.store.put({ clientId: 'c', clientName: 'n', redirectUris: ['https://a/cb'], source: 'dynamic', createdAt: h.now(), expiresAt: h.now() + 1000 });
      const got = await h.store.get('c');
      expect(got).toMatchObject({ clientId: 'c', redirectUris: ['https://a/cb'] });
      got?.redirectUris.push('https://evil/cb');
      expect((await h.store.get('c'))?.redirectUris).toEqual(['https://a/cb']);
      h.advance(1001);
      expect(await h.store.get('c')).toBeNull();
      expect(await h.store.get('missing')).toBeNull();
    });
  });
}
