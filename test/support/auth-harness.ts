import { Hono } from 'hono';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { AuthorizationServer } from '../../src/adapters/oauth/authorization-server.js';
import { ClientRegistry } from '../../src/adapters/oauth/client-registry.js';
import { OAuthAuthenticator } from '../../src/adapters/oauth/oauth-authenticator.js';
import { createOAuthRoutes } from '../../src/adapters/oauth/oauth-routes.js';
import type { OAuthServerSettings } from '../../src/adapters/oauth/oauth-settings.js';
import { InMemoryGrantStore } from '../../src/adapters/memory/in-memory-grant-store.js';
import { InMemoryOAuthClientStore } from '../../src/adapters/memory/in-memory-oauth-client-store.js';
import { isDomainError } from '../../src/domain/errors.js';
import { SessionBinding } from '../../src/domain/session-binding.js';
import { GetAuthStatus } from '../../src/domain/use-cases/get-auth-status.js';
import { LogOut } from '../../src/domain/use-cases/log-out.js';
import { RevokeUserAccess } from '../../src/domain/use-cases/revoke-user-access.js';
import type { EntraGraphTokenProvider } from '../../src/adapters/entra/entra-graph-token-provider.js';
import type { IdentityControls } from '../../src/adapters/sandbox/identity/identity-controls.js';
import { makeEntraWorld } from './entra.js';
import type { EntraWorld } from './entra.js';
import { GRAPH_SCOPES, startSandboxIdp } from './sandbox-idp.js';
import type { RunningIdp } from './sandbox-idp.js';
import { listen } from './serve.js';
import { TestSessionStore } from './stores.js';

export interface AuthHarness {
  url: string;
  settings: OAuthServerSettings;
  idp: RunningIdp;
  controls: IdentityControls;
  world: EntraWorld;
  grants: InMemoryGrantStore;
  clients: InMemoryOAuthClientStore;
  sessions: TestSessionStore;
  sessionBinding: SessionBinding;
  graphTokens: EntraGraphTokenProvider;
  server: AuthorizationServer;
  revokeUserAccess: RevokeUserAccess;
  close(): Promise<void>;
}

export type SettingsOverrides = Partial<Omit<OAuthServerSettings, 'issuer' | 'resource'>>;

/**
 * The gateway's auth as the edge will wire it: OAuth routes plus a minimal stateless /mcp (until the
 * lead's edge is on main) guarded by the resource server, with tools auth_status, auth_logout and
 * graph_probe (proves a Graph token can be obtained, never returns it). Real HTTP on free ports.
 */
export async function startAuthHarness(overrides: SettingsOverrides = {}): Promise<AuthHarness> {
  let handler: (request: Request) => Response | Promise<Response> = () => new Response('starting', { status: 503 });
  const gateway = await listen((request) => handler(request));
  const idp = await startSandboxIdp(`${gateway.url}/oauth/callback`);
  const world = makeEntraWorld(idp.settings);
  const settings: OAuthServerSettings = {
    issuer: gateway.url,
    resource: `${gateway.url}/mcp`,
    scopesSupported: GRAPH_SCOPES,
    accessTokenTtlMs: 10 * 60_000,
    refreshTokenTtlMs: 30 * 24 * 3600_000,
    grantTtlMs: 90 * 24 * 3600_000,
    authorizationCodeTtlMs: 60_000,
    pendingAuthorizationTtlMs: 10 * 60_000,
    clockSkewMs: 30_000,
    dynamicRegistration: true,
    dynamicClientTtlMs: 30 * 24 * 3600_000,
    clientMetadataDocuments: true,
    metadataFetch: { allowPrivateNetworks: true, timeoutMs: 1000, maxBytes: 5 * 1024, cacheTtlMs: 10 * 60_000 },
    preregisteredClients: [],
    tenantPolicy: { allowedTenants: '*', consentPolicy: 'user', adminConsentedTenants: [] },
    signInOrigin: idp.server.url,
    secureCookies: false,
    maxBodyBytes: 16 * 1024,
    ...overrides,
  };
  const grants = new InMemoryGrantStore(world.clock);
  const clients = new InMemoryOAuthClientStore(world.clock);
  const sessions = new TestSessionStore();
  const registry = new ClientRegistry(settings, clients, world.clock, world.audit);
  const server = new AuthorizationServer({ settings, clients: registry, grants, identityProvider: world.signIn, clock: world.clock, audit: world.audit });
  const authenticator = new OAuthAuthenticator(server, settings);
  const sessionBinding = new SessionBinding(sessions, world.audit, world.clock, { ttlMs: 3600_000, clockSkewMs: settings.clockSkewMs });
  const graphTokens = world.makeProvider();
  const getAuthStatus = new GetAuthStatus(world.custody.tokenStore);
  const logOut = new LogOut(grants, sessions, world.custody.tokenStore, graphTokens, world.audit);
  const revokeUserAccess = new RevokeUserAccess(grants, sessions, world.custody.tokenStore, graphTokens, world.audit);

  const app = new Hono();
  app.route('/', createOAuthRoutes({ settings, server, clients: registry, audit: world.audit }));
  app.all('/mcp', async (c) => {
    const caller = await authenticator.verify(OAuthAuthenticator.bearerFrom(c.req.header('authorization')));
    if (caller === null) {
      c.header('WWW-Authenticate', authenticator.challenge(c.req.header('authorization') === undefined ? undefined : 'invalid_token'));
      return c.json({ error: 'unauthorized' }, 401);
    }
    const sessionId = c.req.header('mcp-session-id');
    if (sessionId !== undefined) {
      try {
        await sessionBinding.assertOwner(sessionId, caller.identity);
      } catch (error) {
        if (isDomainError(error) && error.category === 'not_found') return c.json({ error: 'session not found' }, 404);
        throw error;
      }
    }
    const mcp = new McpServer({ name: 'auth-harness', version: '0.0.0' });
    mcp.registerTool('auth_status', { description: 'Who am I' }, async () => {
      const status = await getAuthStatus.execute({ caller: caller.identity, tokenExpiresAt: caller.tokenExpiresAt });
      return { content: [{ type: 'text', text: JSON.stringify(status) }], structuredContent: { ...status } };
    });
    mcp.registerTool('auth_logout', { description: 'Log out' }, async () => {
      const result = await logOut.execute({ caller: caller.identity });
      return { content: [{ type: 'text', text: JSON.stringify(result) }], structuredContent: { ...result } };
    });
    mcp.registerTool('graph_probe', { description: 'Obtains a Graph token' }, async () => {
      try {
        const token = await graphTokens.getAccessToken(caller.identity);
        return { content: [{ type: 'text', text: `graph token for ${token.split('.')[2] ?? '?'}` }] };
      } catch (error) {
        if (!isDomainError(error)) throw error;
        return { isError: true, content: [{ type: 'text', text: JSON.stringify({ category: error.category, code: error.code, loginUrl: error.loginUrl }) }] };
      }
    });
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    await mcp.connect(transport);
    return transport.handleRequest(c.req.raw);
  });
  handler = app.fetch;

  return {
    url: gateway.url,
    settings,
    idp,
    controls: idp.controls,
    world,
    grants,
    clients,
    sessions,
    sessionBinding,
    graphTokens,
    server,
    revokeUserAccess,
    close: async () => {
      await gateway.close();
      await idp.server.close();
    },
  };
}
