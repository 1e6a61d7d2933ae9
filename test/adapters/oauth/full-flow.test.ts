import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthHarness } from '../../support/auth-harness.js';
import type { AuthHarness } from '../../support/auth-harness.js';
import { HeadlessOAuthProvider, connectWithOAuth, textOf } from '../../support/mcp-oauth-client.js';
import { GRAPH_SCOPES, MEGAN } from '../../support/sandbox-idp.js';

let h: AuthHarness;
beforeAll(async () => {
  h = await startAuthHarness();
});
afterAll(async () => {
  await h.close();
});

describe('full flow with the MCP SDK client', () => {
  it('discovery → registration → authorize → sandbox sign-in → token → tool call → refresh → logout → 401', async () => {
    // 401 with the resource metadata pointer.
    const bare = await fetch(`${h.url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(bare.status).toBe(401);
    expect(bare.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${h.url}/.well-known/oauth-protected-resource/mcp"`);

    const provider = new HeadlessOAuthProvider(MEGAN.userPrincipalName);
    const client = await connectWithOAuth(`${h.url}/mcp`, provider);
    expect(provider.info?.client_id).toMatch(/^mcp-/); // dynamically registered
    expect(provider.lastAuthorizationUrl?.searchParams.get('code_challenge_method')).toBe('S256');
    expect(provider.lastAuthorizationUrl?.searchParams.get('resource')).toBe(`${h.url}/mcp`);
    const firstTokens = provider.saved;
    expect(firstTokens?.access_token).toBeDefined();

    const status = (await client.callTool({ name: 'auth_status', arguments: {} })).structuredContent as Record<string, unknown>;
    expect(status).toMatchObject({ tenantId: MEGAN.tenantId, objectId: MEGAN.id, clientId: provider.info?.client_id, scopes: GRAPH_SCOPES, microsoftSignIn: { stored: true } });
    expect(JSON.stringify(status)).not.toContain(firstTokens?.access_token ?? 'x');
    expect(textOf(await client.callTool({ name: 'graph_probe', arguments: {} }))).toBe(`graph token for ${MEGAN.id}`);

    // Our access token expires; the SDK refreshes with rotation and retries transparently.
    h.world.clock.advance(h.settings.accessTokenTtlMs + h.settings.clockSkewMs + 1000);
    expect(textOf(await client.callTool({ name: 'graph_probe', arguments: {} }))).toBe(`graph token for ${MEGAN.id}`);
    expect(provider.saved?.refresh_token).not.toBe(firstTokens?.refresh_token);
    expect(h.world.audit.find('token.refresh', 'success')).toHaveLength(1);

    const lastAccess = provider.saved?.access_token ?? '';
    const loggedOut = (await client.callTool({ name: 'auth_logout', arguments: {} })).structuredContent;
    expect(loggedOut).toEqual({ grantsRevoked: 1, sessionsDeleted: 0, microsoftTokensDeleted: true });

    const after = await fetch(`${h.url}/mcp`, { method: 'POST', headers: { authorization: `Bearer ${lastAccess}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}' });
    expect(after.status).toBe(401);
    expect(after.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(h.world.audit.find('logout', 'success')).toHaveLength(1);
    for (const action of ['client.register', 'consent', 'sign_in', 'grant.create', 'token.issue']) expect(h.world.audit.find(action, 'success').length).toBeGreaterThan(0);
  });
});
