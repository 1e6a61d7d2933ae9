import { describe, expect, it } from 'vitest';
import { TOKENS } from '../../src/app/tokens.js';
import type { Encryptor } from '../../src/ports/encryptor.js';
import type { TokenStore } from '../../src/ports/token-store.js';
import { startTestGateway } from '../support/gateway.js';

const KEY = Buffer.alloc(32, 9).toString('base64');

describe('STORAGE=memory (the embedded default)', () => {
  it('binds every storage port in process, sealing with the configured local key', async () => {
    const gateway = await startTestGateway({ LOCAL_ENCRYPTION_KEYS: `k1:${KEY}` });
    try {
      const encryptor = gateway.container.get<Encryptor>(TOKENS.Encryptor);
      const context = { tenantId: 't', userId: 'u', purpose: 'msal-cache' };
      const sealed = await encryptor.encrypt(Buffer.from('cache'), context);
      expect(sealed.startsWith('lk1.')).toBe(true);
      const tokens = gateway.container.get<TokenStore>(TOKENS.TokenStore);
      expect(await tokens.put({ tenantId: 't', objectId: 'u', sealed, version: 1, expiresAt: Date.now() + 60_000 })).toBe(true);
      for (const token of [TOKENS.SessionStore, TOKENS.Lock, TOKENS.Cache, TOKENS.RateLimiter, TOKENS.IdempotencyStore, TOKENS.FeatureFlagStore]) {
        expect(gateway.container.get(token), token.description).toBeDefined();
      }
      const ready = await fetch(`${gateway.url}/readyz`);
      expect(await ready.json()).toEqual({ ready: true, checks: { graph: 'ok' } });
    } finally {
      await gateway.close();
    }
  });

  it('lets the sandbox start with AUTH_MODE=oauth, the auth composition taking these stores', async () => {
    const gateway = await startTestGateway({ AUTH_MODE: 'oauth' });
    try {
      const res = await fetch(`${gateway.url}/.well-known/oauth-protected-resource/mcp`);
      expect(res.status).toBe(200);
      const unauthenticated = await fetch(gateway.mcpUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: '{}',
      });
      expect(unauthenticated.status).toBe(401);
    } finally {
      await gateway.close();
    }
  });
});
