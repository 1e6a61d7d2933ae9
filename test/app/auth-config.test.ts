import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/app/config.js';

const live = {
  GATEWAY_MODE: 'live',
  NODE_ENV: 'production',
  PUBLIC_BASE_URL: 'https://mcp.example.com',
  ENTRA_CLIENT_ID: 'app',
  ENTRA_CLIENT_SECRET: 'secret',
  AUTH_ALLOWED_TENANTS: '4a1c9f3e-2b7d-4e8a-9c61-0f3d5b8e7a21',
};

describe('auth configuration', () => {
  it('defaults: dev tokens in the sandbox, oauth in live mode with secure cookies and no private metadata targets', () => {
    expect(loadConfig({}).auth.mode).toBe('dev-token');
    const config = loadConfig(live);
    expect(config.auth).toMatchObject({
      mode: 'oauth',
      accessTokenTtlMs: 600_000,
      clockSkewMs: 60_000,
      secureCookies: true,
      dynamicRegistration: true,
      clientMetadataDocuments: true,
      metadataFetch: { allowPrivateNetworks: false, maxBytes: 5120, timeoutMs: 3000 },
      tenantPolicy: { allowedTenants: ['4a1c9f3e-2b7d-4e8a-9c61-0f3d5b8e7a21'], consentPolicy: 'user' },
    });
    expect(config.entra).toMatchObject({ authorityHost: 'https://login.microsoftonline.com', signInTenant: 'organizations' });
  });

  it.each([
    ['live without Entra credentials', { ...live, ENTRA_CLIENT_SECRET: '' }, /ENTRA_CLIENT_ID/],
    ['live without a tenant allow-list', { ...live, AUTH_ALLOWED_TENANTS: '' }, /AUTH_ALLOWED_TENANTS/],
    ['any tenant in production', { ...live, AUTH_ALLOWED_TENANTS: '*' }, /AUTH_ALLOWED_TENANTS/],
    ['private metadata targets in production', { ...live, AUTH_METADATA_ALLOW_PRIVATE: 'true' }, /SSRF/],
    ['dev tokens in live mode', { ...live, AUTH_MODE: 'dev-token' }, /AUTH_MODE/],
    ['malformed pre-registered clients', { AUTH_PREREGISTERED_CLIENTS: '[{"client_id":1}]' }, /AUTH_PREREGISTERED_CLIENTS/],
    ['a PKCE-less consent policy typo', { AUTH_CONSENT_POLICY: 'none' }, /AUTH_CONSENT_POLICY/],
  ])('refuses %s', (_name, env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('reads pre-registered clients and the admin consent policy', () => {
    const config = loadConfig({
      AUTH_PREREGISTERED_CLIENTS: '[{"client_id":"vscode","client_name":"VS Code","redirect_uris":["http://127.0.0.1:33418/cb"]}]',
      AUTH_CONSENT_POLICY: 'admin',
      AUTH_ADMIN_CONSENTED_TENANTS: 'a,b',
    });
    expect(config.auth.preregisteredClients).toEqual([{ clientId: 'vscode', clientName: 'VS Code', redirectUris: ['http://127.0.0.1:33418/cb'] }]);
    expect(config.auth.tenantPolicy).toEqual({ allowedTenants: '*', consentPolicy: 'admin', adminConsentedTenants: ['a', 'b'] });
  });
});
