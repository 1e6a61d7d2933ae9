import { afterEach, describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { startAuthHarness } from '../../support/auth-harness.js';
import type { AuthHarness, SettingsOverrides } from '../../support/auth-harness.js';
import { CLIENT_REDIRECT } from '../../support/mcp-oauth-client.js';
import { HeadlessBrowser, consentFields } from '../../support/headless-browser.js';
import { authorizeAndSignIn, authorizeUrl, goodParams, pkcePair, registerClient, registeredClientId } from '../../support/oauth-flow.js';
import { FABRIKAM, GRAPH_SCOPES, MEGAN, NESTOR } from '../../support/sandbox-idp.js';
import { listen } from '../../support/serve.js';
import type { RunningServer } from '../../support/serve.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of cleanup.splice(0)) await close();
});

async function harness(overrides: SettingsOverrides = {}): Promise<AuthHarness> {
  const h = await startAuthHarness(overrides);
  cleanup.push(() => h.close());
  return h;
}

async function metadataServer(route: (app: Hono) => void): Promise<RunningServer> {
  const app = new Hono();
  route(app);
  const server = await listen(app.fetch);
  cleanup.push(() => server.close());
  return server;
}

const denied = (h: AuthHarness, action: string, reason: string): boolean => h.world.audit.events.some((e) => e.action === action && e.outcome === 'denied' && e.reason === reason);

describe('tenant allow-list and consent policy', () => {
  it('denies a tenant that is not allowed and keeps none of its tokens', async () => {
    const h = await harness({ tenantPolicy: { allowedTenants: [FABRIKAM.id], consentPolicy: 'user', adminConsentedTenants: [] } });
    const { final } = await authorizeAndSignIn(h, goodParams(await registeredClientId(h), pkcePair().challenge), MEGAN.userPrincipalName);
    expect(final.searchParams.get('error')).toBe('access_denied');
    expect(final.searchParams.get('state')).toBe('st-1');
    expect(denied(h, 'sign_in', 'tenant_not_allowed')).toBe(true);
    expect(await h.world.custody.tokenStore.get(MEGAN.tenantId, MEGAN.id)).toBeNull();
    const allowed = await authorizeAndSignIn(h, goodParams(await registeredClientId(h), pkcePair().challenge), NESTOR.userPrincipalName);
    expect(allowed.final.searchParams.get('code')).not.toBeNull();
  });

  it('requires admin consent when the policy says so', async () => {
    const h = await harness({ tenantPolicy: { allowedTenants: '*', consentPolicy: 'admin', adminConsentedTenants: [FABRIKAM.id] } });
    const contoso = await authorizeAndSignIn(h, goodParams(await registeredClientId(h), pkcePair().challenge), MEGAN.userPrincipalName);
    expect(contoso.final.searchParams.get('error')).toBe('access_denied');
    expect(denied(h, 'sign_in', 'admin_consent_required')).toBe(true);
    const fabrikam = await authorizeAndSignIn(h, goodParams(await registeredClientId(h), pkcePair().challenge), NESTOR.userPrincipalName);
    expect(fabrikam.final.searchParams.get('code')).not.toBeNull();
  });

  it('denies a sign-in where the user granted fewer scopes than requested', async () => {
    const h = await harness();
    const { final } = await authorizeAndSignIn(h, goodParams(await registeredClientId(h), pkcePair().challenge), MEGAN.userPrincipalName, 'User.Read openid profile offline_access');
    expect(final.searchParams.get('error')).toBe('access_denied');
    expect(denied(h, 'sign_in', 'consent_missing')).toBe(true);
  });
});

describe('Entra outage during sign-in', () => {
  it('answers the consent approval with a 503 page, audited, when Microsoft sign-in is unreachable', async () => {
    const h = await harness();
    const browser = new HeadlessBrowser();
    const page = await browser.get(authorizeUrl(h, { ...goodParams(await registeredClientId(h), pkcePair().challenge), resource: h.settings.resource }));
    await h.idp.server.close();
    const approved = await browser.postForm(`${h.url}/authorize/consent`, { ...consentFields(await page.text()), decision: 'approve' });
    expect(approved.status).toBe(503);
    expect(h.world.audit.find('consent', 'failure')).toHaveLength(1);
  });
});

describe('client registration', () => {
  it('dynamic registration can be switched off (endpoint and metadata)', async () => {
    const h = await harness({ dynamicRegistration: false });
    expect((await registerClient(h)).status).toBe(404);
    const metadata = (await (await fetch(`${h.url}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    expect(metadata.registration_endpoint).toBeUndefined();
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
  });

  it('refuses confidential clients and dangerous redirect URIs', async () => {
    const h = await harness();
    for (const body of [
      { redirect_uris: ['javascript:alert(1)'] },
      { redirect_uris: ['http://attacker.example/cb'] },
      { redirect_uris: ['https://ok.example/cb#frag'] },
      { redirect_uris: [CLIENT_REDIRECT], token_endpoint_auth_method: 'client_secret_basic' },
    ]) {
      const response = await registerClient(h, body);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toBe('invalid_client_metadata');
    }
    expect(denied(h, 'client.register', 'redirect_uris')).toBe(true);
  });

  it('accepts pre-registered clients from configuration', async () => {
    const h = await harness({ preregisteredClients: [{ clientId: 'vscode', clientName: 'VS Code', redirectUris: [CLIENT_REDIRECT] }], dynamicRegistration: false });
    const { final } = await authorizeAndSignIn(h, goodParams('vscode', pkcePair().challenge), MEGAN.userPrincipalName);
    expect(final.searchParams.get('code')).not.toBeNull();
  });
});

describe('Client ID Metadata Documents', () => {
  it('uses a valid document (development mode allows loopback)', async () => {
    const h = await harness();
    const server = await metadataServer((app) => app.get('/client.json', (c) => c.json({ client_id: `${new URL(c.req.url).origin}/client.json`, client_name: 'Metadata Client', redirect_uris: [CLIENT_REDIRECT] })));
    const page = await fetch(authorizeUrl(h, { ...goodParams(`${server.url}/client.json`, pkcePair().challenge), resource: h.settings.resource }));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Metadata Client');
  });

  it('refuses a document URL on a loopback or private address outside development (SSRF)', async () => {
    const h = await harness({ metadataFetch: { allowPrivateNetworks: false, timeoutMs: 1000, maxBytes: 5 * 1024, cacheTtlMs: 60_000 } });
    for (const clientId of ['https://127.0.0.1:9/client.json', 'https://10.0.0.8/client.json', 'https://[::1]/client.json', 'https://169.254.169.254/latest/meta-data', 'https://localhost/client.json']) {
      const response = await fetch(authorizeUrl(h, { ...goodParams(clientId, pkcePair().challenge), resource: h.settings.resource }), { redirect: 'manual' });
      expect(response.status).toBe(400);
    }
    expect(h.world.audit.events.filter((e) => e.action === 'client.metadata_document' && e.reason === 'metadata_blocked_address')).toHaveLength(5);
  });

  it('refuses an oversized document and a slow one', async () => {
    const h = await harness({ metadataFetch: { allowPrivateNetworks: true, timeoutMs: 1500, maxBytes: 2048, cacheTtlMs: 60_000 } });
    const server = await metadataServer((app) => {
      app.get('/big.json', (c) => c.json({ client_id: `${new URL(c.req.url).origin}/big.json`, client_name: 'x'.repeat(5000), redirect_uris: [CLIENT_REDIRECT] }));
      app.get('/slow.json', async (c) => {
        await new Promise((r) => setTimeout(r, 4000));
        return c.json({ client_id: `${new URL(c.req.url).origin}/slow.json`, redirect_uris: [CLIENT_REDIRECT] });
      });
      app.get('/liar.json', (c) => c.json({ client_id: 'https://someone-else.example/client.json', redirect_uris: [CLIENT_REDIRECT] }));
    });
    for (const [path, reason] of [['big.json', 'metadata_too_large'], ['slow.json', 'metadata_timeout'], ['liar.json', 'metadata_invalid']] as const) {
      const response = await fetch(authorizeUrl(h, { ...goodParams(`${server.url}/${path}`, pkcePair().challenge), resource: h.settings.resource }), { redirect: 'manual' });
      expect(response.status).toBe(400);
      expect(denied(h, 'client.metadata_document', reason)).toBe(true);
    }
  });

  it('advertises the resource and the authorization server', async () => {
    const h = await harness();
    const pr = (await (await fetch(`${h.url}/.well-known/oauth-protected-resource/mcp`)).json()) as Record<string, unknown>;
    expect(pr).toMatchObject({ resource: `${h.url}/mcp`, authorization_servers: [h.url], scopes_supported: GRAPH_SCOPES });
  });
});
