import 'reflect-metadata';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_META_KEY, type ToolError } from '../../src/adapters/http/error-mapper.js';
import { InMemoryGrantStore } from '../../src/adapters/memory/in-memory-grant-store.js';
import { InMemoryLogger } from '../../src/adapters/memory/in-memory-logger.js';
import { InMemoryOAuthClientStore } from '../../src/adapters/memory/in-memory-oauth-client-store.js';
import { startSandboxIdentity } from '../../src/adapters/sandbox/identity/start-sandbox-identity.js';
import type { RunningSandboxIdentity } from '../../src/adapters/sandbox/identity/start-sandbox-identity.js';
import { startSandbox } from '../../src/adapters/sandbox/sandbox-server.js';
import type { RunningSandbox } from '../../src/adapters/sandbox/sandbox-server.js';
import { seededUser } from '../../src/adapters/sandbox/seed.js';
import { SystemClock } from '../../src/adapters/system/system-clock.js';
import { loadConfig } from '../../src/app/config.js';
import { buildContainer } from '../../src/app/container.js';
import { TOKENS } from '../../src/app/tokens.js';
import { HeadlessOAuthProvider, connectWithOAuth } from '../support/mcp-oauth-client.js';
import { listen } from '../support/serve.js';
import type { RunningServer } from '../support/serve.js';
import { TestAuditLog, TestEncryptor, TestLock, TestSessionStore, TestTokenStore } from '../support/stores.js';

/**
 * What a sign-in asks Microsoft for, observed at the sandbox identity provider: the real edge and
 * container in oauth mode, the MCP SDK client running the whole OAuth flow. Deployments share one
 * IdP, one public address and one set of stores, so "enable a family later" is a redeploy over the
 * same signed-in users, as in production.
 */
const OIDC = ['offline_access', 'openid', 'profile'];
const OTHER_FAMILIES = /^(Files|Sites|Calendars|Contacts|People|Tasks|Chat|Channel|Team)/;
const secret = 'consent-scopes-test-secret-0123456789';
let server: RunningServer;
let graph: RunningSandbox;
let identity: RunningSandboxIdentity;
let handler: (request: Request) => Response | Promise<Response> = () => new Response('starting', { status: 503 });
const clock = new SystemClock();
const stores = {
  tokens: new TestTokenStore(),
  sessions: new TestSessionStore(),
  lock: new TestLock(),
  encryptor: new TestEncryptor(),
  grants: new InMemoryGrantStore(clock),
  clients: new InMemoryOAuthClientStore(clock),
};
const clients: Client[] = [];

/** Serves a gateway configured with `env` at the shared address, over the shared stores and IdP. */
function deploy(env: Record<string, string>): void {
  const config = loadConfig({ NODE_ENV: 'test', AUTH_MODE: 'oauth', SANDBOX_SECRET: secret, PUBLIC_BASE_URL: server.url, RATE_LIMIT_ENABLED: 'false', ...env });
  const container = buildContainer(config, {
    graphBaseUrl: `${graph.url}/v1.0`,
    isAccepting: () => true,
    publicBaseUrl: server.url,
    entra: { ...identity.entra, graphScopes: config.auth.scopes },
    logger: new InMemoryLogger(),
  });
  container.rebind(TOKENS.TokenStore).toConstantValue(stores.tokens);
  container.rebind(TOKENS.SessionStore).toConstantValue(stores.sessions);
  container.rebind(TOKENS.Lock).toConstantValue(stores.lock);
  container.rebind(TOKENS.Encryptor).toConstantValue(stores.encryptor);
  container.rebind(TOKENS.GrantStore).toConstantValue(stores.grants);
  container.rebind(TOKENS.OAuthClientStore).toConstantValue(stores.clients);
  container.unbind(TOKENS.AuditLog);
  container.bind(TOKENS.AuditLog).toConstantValue(new TestAuditLog());
  handler = container.get<Hono>(TOKENS.HttpApp).fetch;
}

/** Signs `user` in with a new MCP client; returns it and the scopes the IdP's authorize endpoint saw. */
async function signIn(user: string): Promise<{ client: Client; requested: string[] }> {
  const before = identity.controls.authorizeRequests.length;
  const client = await connectWithOAuth(`${server.url}/mcp`, new HeadlessOAuthProvider(seededUser(user).userPrincipalName));
  clients.push(client);
  const seen = identity.controls.authorizeRequests.slice(before);
  expect(seen).toHaveLength(1);
  return { client, requested: [...seen[0]!.scopes].sort() };
}

const errorOf = (result: unknown): ToolError | undefined => (result as CallToolResult)._meta?.[ERROR_META_KEY] as ToolError | undefined;

beforeAll(async () => {
  server = await listen((request) => handler(request));
  graph = await startSandbox({ tokenSecret: secret });
  identity = await startSandboxIdentity({ gatewayCallbackUrl: `${server.url}/oauth/callback`, graphTokenSecret: secret, graphScopes: [] });
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  await server.close();
  await graph.close();
  await identity.close();
});

describe('delegated scopes requested at sign-in, observed at the identity provider', () => {
  it('with only the mail family, signing in asks for the mail scopes and nothing else', async () => {
    deploy({ TOOL_FAMILIES: 'mail' });
    const { client, requested } = await signIn('megan');
    expect(requested).toEqual([...OIDC, 'Mail.ReadWrite', 'Mail.Send', 'User.Read'].sort());
    expect(requested.filter((s) => OTHER_FAMILIES.test(s))).toEqual([]);
    // The code redemption asked for the same, and the Graph token carries exactly that.
    const redeemed = identity.controls.tokenRequests.filter((r) => r.grantType === 'authorization_code').at(-1)!;
    expect([...redeemed.scopes].sort()).toEqual(requested);
    const messages = await client.callTool({ name: 'mail_list_messages', arguments: { pageSize: 1 } });
    expect(errorOf(messages)).toBeUndefined();
    // Besides mail and auth tools, only the upload tools mail shares with files (attachment uploads).
    const tools = (await client.listTools()).tools.map((t) => t.name);
    expect(tools.filter((n) => !/^(mail|auth)_/.test(n)).sort()).toEqual(['files_upload_cancel', 'files_upload_chunk', 'files_upload_status']);
  });

  it('read-only with only mail asks for Mail.Read alone', async () => {
    deploy({ TOOL_FAMILIES: 'mail', READ_ONLY: 'true' });
    const { client, requested } = await signIn('alex');
    expect(requested).toEqual([...OIDC, 'Mail.Read', 'User.Read'].sort());
    expect(errorOf(await client.callTool({ name: 'mail_list_messages', arguments: { pageSize: 1 } }))).toBeUndefined();
  });

  it('turning Teams on adds exactly the Teams scopes (read and send chat and channel messages)', async () => {
    deploy({ TOOL_FAMILIES: 'mail', TEAMS_ENABLED: 'true' });
    const { client, requested } = await signIn('lee');
    const teams = ['Channel.ReadBasic.All', 'ChannelMessage.Read.All', 'ChannelMessage.Send', 'Chat.Read', 'ChatMessage.Send', 'Team.ReadBasic.All'];
    expect(requested).toEqual([...OIDC, ...teams, 'Mail.ReadWrite', 'Mail.Send', 'User.Read'].sort());
    expect(errorOf(await client.callTool({ name: 'teams_list_chats', arguments: { pageSize: 1 } }))).toBeUndefined();
  });

  it('enabling another family later makes the next sign-in ask for the added scopes (incremental consent)', async () => {
    deploy({ TOOL_FAMILIES: 'mail' });
    const first = await signIn('adele');
    expect(first.requested.filter((s) => OTHER_FAMILIES.test(s))).toEqual([]);
    expect(errorOf(await first.client.callTool({ name: 'mail_list_messages', arguments: { pageSize: 1 } }))).toBeUndefined();

    // The operator enables calendar. Adele's stored Microsoft sign-in only covers mail: Microsoft
    // refuses to widen it on refresh, so the gateway asks her to sign in again.
    deploy({ TOOL_FAMILIES: 'mail,calendar' });
    const refused = errorOf(await first.client.callTool({ name: 'calendar_list_events', arguments: { start: '2026-01-12T00:00:00Z', end: '2026-01-13T00:00:00Z' } }));
    expect(refused).toMatchObject({ category: 'auth_required', code: 'auth.signInRequired', loginUrl: `${server.url}/authorize` });
    const widening = identity.controls.tokenRequests.filter((r) => r.grantType === 'refresh_token' && r.userId === seededUser('adele').id).at(-1)!;
    expect(widening).toMatchObject({ outcome: 'invalid_grant' });
    expect(widening.scopes).toEqual(expect.arrayContaining(['Calendars.ReadWrite']));

    const second = await signIn('adele');
    expect(second.requested).toEqual([...OIDC, 'Calendars.ReadWrite', 'Mail.ReadWrite', 'Mail.Send', 'User.Read'].sort());
    const events = await second.client.callTool({ name: 'calendar_list_events', arguments: { start: '2026-01-12T00:00:00Z', end: '2026-01-13T00:00:00Z' } });
    expect(errorOf(events)).toBeUndefined();
  });
});
