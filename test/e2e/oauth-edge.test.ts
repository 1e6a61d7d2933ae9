import 'reflect-metadata';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryLogger } from '../../src/adapters/memory/in-memory-logger.js';
import { startSandboxIdentity } from '../../src/adapters/sandbox/identity/start-sandbox-identity.js';
import type { RunningSandboxIdentity } from '../../src/adapters/sandbox/identity/start-sandbox-identity.js';
import { startSandbox } from '../../src/adapters/sandbox/sandbox-server.js';
import type { RunningSandbox } from '../../src/adapters/sandbox/sandbox-server.js';
import { seededUser } from '../../src/adapters/sandbox/seed.js';
import { loadConfig } from '../../src/app/config.js';
import { buildContainer } from '../../src/app/container.js';
import { TOKENS } from '../../src/app/tokens.js';
import { HeadlessOAuthProvider, connectWithOAuth } from '../support/mcp-oauth-client.js';
import { listen } from '../support/serve.js';
import type { RunningServer } from '../support/serve.js';
import { TestAuditLog, TestEncryptor, TestLock, TestSessionStore, TestTokenStore } from '../support/stores.js';

/**
 * The real edge and container in oauth mode, in front of the sandbox Graph and the sandbox IdP:
 * recording test doubles replace the storage bindings so the test can inspect custody.
 */
let gateway: RunningServer;
let graph: RunningSandbox;
let identity: RunningSandboxIdentity;
const audit = new TestAuditLog();
const tokens = new TestTokenStore();

beforeAll(async () => {
  const secret = 'oauth-edge-test-secret-0123456789';
  let handler: (request: Request) => Response | Promise<Response> = () => new Response('starting', { status: 503 });
  gateway = await listen((request) => handler(request));
  graph = await startSandbox({ tokenSecret: secret });
  // Our own rate limits are not under test here: the storm test sends 500 calls of one user at once.
  const config = loadConfig({ NODE_ENV: 'test', AUTH_MODE: 'oauth', SANDBOX_SECRET: secret, PUBLIC_BASE_URL: gateway.url, RATE_LIMIT_ENABLED: 'false' });
  identity = await startSandboxIdentity({ gatewayCallbackUrl: `${gateway.url}/oauth/callback`, graphTokenSecret: secret, graphScopes: config.auth.scopes });
  const container = buildContainer(config, { graphBaseUrl: `${graph.url}/v1.0`, isAccepting: () => true, publicBaseUrl: gateway.url, entra: identity.entra, logger: new InMemoryLogger() });
  // The container binds the in-memory stores; the test swaps in recording ones it can inspect.
  container.rebind(TOKENS.TokenStore).toConstantValue(tokens);
  container.rebind(TOKENS.SessionStore).toConstantValue(new TestSessionStore());
  container.rebind(TOKENS.Lock).toConstantValue(new TestLock());
  container.rebind(TOKENS.Encryptor).toConstantValue(new TestEncryptor());
  // The telemetry audit log writes to stdout; the test inspects a recording one instead.
  container.unbind(TOKENS.AuditLog);
  container.bind(TOKENS.AuditLog).toConstantValue(audit);
  handler = container.get<Hono>(TOKENS.HttpApp).fetch;
});

afterAll(async () => {
  await gateway.close();
  await graph.close();
  await identity.close();
});

describe('OAuth through the real edge', () => {
  it('signs in with the SDK client, calls Graph-backed tools with custody tokens, logs out', async () => {
    const megan = seededUser('megan');
    const unauthenticated = await fetch(`${gateway.url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{}' });
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers.get('www-authenticate')).toContain(`resource_metadata="${gateway.url}/.well-known/oauth-protected-resource/mcp"`);

    const provider = new HeadlessOAuthProvider(megan.userPrincipalName);
    const client = await connectWithOAuth(`${gateway.url}/mcp`, provider);
    const tools = (await client.listTools()).tools.map((t) => t.name);
    expect(tools).toEqual(expect.arrayContaining(['auth_whoami', 'auth_status', 'auth_logout']));

    // auth_whoami calls the sandbox Graph /me with the Graph token MSAL took from custody.
    const whoami = (await client.callTool({ name: 'auth_whoami', arguments: {} })).structuredContent as { profile: { displayName: string }; tenantId: string };
    expect(whoami.profile.displayName).toBe(megan.displayName);
    expect(whoami.tenantId).toBe(megan.tenantId);
    expect(identity.controls.tokenRequests.filter((r) => r.grantType === 'authorization_code')).toHaveLength(1);

    const status = (await client.callTool({ name: 'auth_status', arguments: {} })).structuredContent as Record<string, unknown>;
    expect(status).toMatchObject({ tenantId: megan.tenantId, objectId: megan.id, microsoftSignIn: { stored: true } });

    const sealed = await tokens.get(megan.tenantId, megan.id);
    expect(sealed?.sealed).not.toContain('refresh');

    const access = provider.saved?.access_token ?? '';
    expect((await client.callTool({ name: 'auth_logout', arguments: {} })).structuredContent).toMatchObject({ grantsRevoked: 1, microsoftTokensDeleted: true });
    const after = await fetch(`${gateway.url}/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${access}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(after.status).toBe(401);
    expect(await tokens.get(megan.tenantId, megan.id)).toBeNull();
    for (const action of ['sign_in', 'token.issue', 'logout']) expect(audit.find(action, 'success').length).toBeGreaterThan(0);
  });

  it('500 concurrent tool calls of a user whose Graph token expired cause one refresh at the IdP', async () => {
    const alex = seededUser('alex');
    identity.controls.accessTokenLifetimeSeconds = 5; // inside MSAL's renewal window: expired for us
    const provider = new HeadlessOAuthProvider(alex.userPrincipalName);
    try {
      await connectWithOAuth(`${gateway.url}/mcp`, provider);
    } finally {
      identity.controls.accessTokenLifetimeSeconds = 3600;
    }
    const before = identity.controls.refreshCount(alex.id);
    const send = (id: number): Promise<Response> =>
      fetch(`${gateway.url}/mcp`, {
        method: 'POST',
        headers: { authorization: `Bearer ${provider.saved?.access_token ?? ''}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'auth_whoami', arguments: {} } }),
      });
    // Transport-level retries only: on a loaded machine a pooled keep-alive socket can be reset by the
    // server's idle timeout just as it is reused (ECONNRESET before any byte of the request is read).
    const call = (id: number): Promise<Response> => send(id).catch(() => send(id)).catch(() => send(id));
    const responses = await Promise.all(Array.from({ length: 500 }, (_, i) => call(i)));
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as { result?: { isError?: boolean } }[];
    expect(bodies.filter((b) => b.result !== undefined && b.result.isError !== true)).toHaveLength(500);
    expect(identity.controls.refreshCount(alex.id) - before).toBe(1);
  }, 120_000);

  it('maps OAuth errors of the mounted routes to OAuth JSON, not the edge 404/500', async () => {
    const response = await fetch(`${gateway.url}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=password&client_id=x' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'unsupported_grant_type' });
  });
});
