import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seededUser } from '../../src/adapters/sandbox/seed.js';
import { ConfigError, loadConfig } from '../../src/app/config.js';
import { TOKENS } from '../../src/app/tokens.js';
import type { GraphTokenProvider } from '../../src/ports/graph-token-provider.js';
import type { RunningGateway } from '../../src/app/gateway.js';
import { callError, callOk, connectClient, startTestGateway } from '../support/gateway.js';

const clients: Client[] = [];
async function client(gateway: RunningGateway, headers: Record<string, string> = {}): Promise<Client> {
  const c = await connectClient(gateway, 'megan', headers);
  clients.push(c);
  return c;
}
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

describe('deployment profile: TOOL_FAMILIES and READ_ONLY', () => {
  let gateway: RunningGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ TOOL_FAMILIES: 'mail,calendar', READ_ONLY: 'true' });
  });
  afterAll(() => gateway.close());

  it('lists only read-only tools of the configured families (plus auth)', async () => {
    const { tools } = await (await client(gateway)).listTools();
    // files_upload_status: shared by mail (attachment uploads) and files.
    const families = new Set(tools.filter((t) => t.name !== 'files_upload_status').map((t) => t.name.split('_')[0]));
    expect([...families].sort()).toEqual(['auth', 'calendar', 'mail']);
    expect(tools.map((t) => t.name)).toContain('files_upload_status');
    expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
    expect(tools.map((t) => t.name)).toContain('mail_search');
  });

  it('has no write tool at all: calling one is an unknown tool (protocol error)', async () => {
    const c = await client(gateway);
    await expect(c.callTool({ name: 'mail_send', arguments: { to: ['a@b.example'], subject: 's', body: 'b' } })).rejects.toThrow(/Unknown tool: mail_send/);
    await expect(c.callTool({ name: 'files_list', arguments: {} })).rejects.toThrow(/Unknown tool/);
  });

  it('the Graph token carries read scopes of the configured families only', async () => {
    const me = await callOk<{ profile: { displayName: string } }>(await client(gateway), 'auth_whoami');
    expect(me.profile.displayName).toBe('Megan Bowen');
    const user = seededUser('megan');
    const provider = gateway.container.get<GraphTokenProvider>(TOKENS.GraphTokenProvider);
    const token = await provider.getAccessToken({ tenantId: user.tenantId, objectId: user.id, subject: user.id, clientId: 'c', scopes: [] });
    const claims = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')) as { scopes: string[] };
    expect(claims.scopes).toEqual(['openid', 'profile', 'offline_access', 'User.Read', 'Calendars.Read', 'Mail.Read']);
  });
});

describe('per-request profile: X-MCP-Profile header or ?profile=', () => {
  let gateway: RunningGateway;
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(() => gateway.close());

  it('narrows tools/list to the families named, read-only when asked', async () => {
    const { tools } = await (await client(gateway, { 'X-MCP-Profile': 'calendar,read-only' })).listTools();
    expect(tools.every((t) => /^(calendar|auth)_/.test(t.name) && t.annotations?.readOnlyHint)).toBe(true);
    expect(tools.map((t) => t.name)).toContain('calendar_list_events');
  });

  it('refuses a hidden tool called by name with feature_disabled', async () => {
    const c = await client(gateway, { 'X-MCP-Profile': 'calendar' });
    const err = await callError(c, 'mail_list_messages', {});
    expect(err).toMatchObject({ category: 'feature_disabled', code: 'profile.familyExcluded', retryable: false });
    const ro = await client(gateway, { 'X-MCP-Profile': 'mail,read-only' });
    expect(await callError(ro, 'mail_send', { to: ['alex.wilber@contoso.example'], subject: 's', body: 'b' })).toMatchObject({
      category: 'feature_disabled',
      code: 'profile.readOnly',
    });
    expect((await callOk<{ messages: unknown[] }>(ro, 'mail_list_messages', { pageSize: 1 })).messages).toHaveLength(1);
  });

  it('accepts the profile as a query parameter on the MCP URL', async () => {
    const user = seededUser('megan');
    const res = await fetch(`${gateway.mcpUrl}?profile=files`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${gateway.devToken({ tenantId: user.tenantId, objectId: user.id })}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
    });
    const body = (await res.json()) as { result: { tools: { name: string }[] } };
    expect(body.result.tools.every((t) => /^(files|auth)_/.test(t.name))).toBe(true);
  });

  it('lists the upload chunk tools a mail attachment upload needs to a mail-only profile, not to others', async () => {
    const shared = ['files_upload_chunk', 'files_upload_status', 'files_upload_cancel'];
    const mail = (await (await client(gateway, { 'X-MCP-Profile': 'mail' })).listTools()).tools.map((t) => t.name);
    expect(mail).toEqual(expect.arrayContaining([...shared, 'mail_attachment_upload_start']));
    expect(mail).not.toContain('files_upload_start');
    const calendar = (await (await client(gateway, { 'X-MCP-Profile': 'calendar' })).listTools()).tools.map((t) => t.name);
    expect(calendar.filter((n) => shared.includes(n))).toEqual([]);
    const err = await callError(await client(gateway, { 'X-MCP-Profile': 'calendar' }), 'files_upload_status', { uploadId: 'u'.repeat(32) });
    expect(err).toMatchObject({ category: 'feature_disabled', code: 'profile.familyExcluded' });
  });

  it('rejects an unknown family in the profile with a clear 400', async () => {
    await expect(client(gateway, { 'X-MCP-Profile': 'mail,sharepoint' })).rejects.toThrow(/unknown tool family \(sharepoint\).*mail, calendar/);
  });
});

describe('discovery mode: tools_search, tools_describe, tools_call', () => {
  let gateway: RunningGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ TOOL_DISCOVERY_MODE: 'true' });
  });
  afterAll(() => gateway.close());

  it('lists exactly the three discovery tools', async () => {
    const { tools } = await (await client(gateway)).listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['tools_call', 'tools_describe', 'tools_search']);
  });

  it('finds, describes and calls a tool', async () => {
    const c = await client(gateway);
    const found = await callOk<{ tools: { name: string }[]; total: number }>(c, 'tools_search', { query: 'reply mail' });
    expect(found.tools[0]?.name).toBe('mail_reply');
    const all = await callOk<{ total: number }>(c, 'tools_search', { query: '', limit: 1 });
    expect(all.total).toBeGreaterThanOrEqual(20);
    const described = await callOk<{ inputSchema: { properties: Record<string, unknown> } }>(c, 'tools_describe', { name: 'mail_list_messages' });
    expect(Object.keys(described.inputSchema.properties)).toContain('unreadOnly');
    const page = await callOk<{ messages: unknown[] }>(c, 'tools_call', { name: 'mail_list_messages', arguments: { pageSize: 2 } });
    expect(page.messages).toHaveLength(2);
  });

  it('keeps the same validation and errors as a direct call', async () => {
    const c = await client(gateway);
    const viaDiscovery = await callError(c, 'tools_call', { name: 'mail_list_messages', arguments: { pageSize: 'ten' } });
    const direct = await callError(c, 'mail_list_messages', { pageSize: 'ten' });
    expect({ ...viaDiscovery, correlationId: '' }).toEqual({ ...direct, correlationId: '' });
    expect((await callError(c, 'tools_call', { name: 'mail_get_message', arguments: { messageId: 'missing' } })).category).toBe('not_found');
    expect(await callError(c, 'tools_call', { name: 'nope_tool' })).toMatchObject({ category: 'not_found', code: 'tools.unknownTool' });
    expect((await callError(c, 'tools_describe', { name: 'tools_call' })).code).toBe('tools.unknownTool');
  });

  it('honours the per-request profile inside tools_search and tools_call', async () => {
    const c = await client(gateway, { 'X-MCP-Profile': 'calendar' });
    const found = await callOk<{ tools: { name: string }[] }>(c, 'tools_search', { query: 'mail', limit: 20 });
    expect(found.tools.some((t) => t.name.startsWith('mail_'))).toBe(false);
    expect(await callError(c, 'tools_call', { name: 'mail_list_messages' })).toMatchObject({ category: 'not_found', code: 'tools.unknownTool' });
  });
});

describe('profile configuration', () => {
  it('refuses teams in TOOL_FAMILIES without TEAMS_ENABLED, and unknown families', () => {
    expect(() => loadConfig({ TOOL_FAMILIES: 'mail,teams' })).toThrow(ConfigError);
    expect(() => loadConfig({ TOOL_FAMILIES: 'mail,sharepoint' })).toThrow(/sharepoint/);
    expect(loadConfig({ TEAMS_ENABLED: 'true' }).tools.families).toContain('teams');
    expect(loadConfig({}).tools).toEqual({ families: ['mail', 'calendar', 'files', 'search', 'contacts', 'tasks'], readOnly: false, discoveryMode: false });
  });
});
