import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LARGE_FOLDER_NAME, seededUser } from '../../src/adapters/sandbox/seed.js';
import type { RunningGateway } from '../../src/app/gateway.js';
import { callError, callOk, connectClient, startTestGateway } from '../support/gateway.js';

interface Paged<T> {
  nextCursor?: string;
  items?: T[];
  messages?: T[];
  events?: T[];
  hits?: T[];
}

/** Follows nextCursor to the end, returning every item once. */
async function pageThrough<T>(client: Client, tool: string, key: keyof Paged<T>, args: Record<string, unknown>): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 1000; guard++) {
    const page = await callOk<Paged<T>>(client, tool, { ...args, ...(cursor ? { cursor } : {}) });
    all.push(...((page[key] as T[] | undefined) ?? []));
    cursor = page.nextCursor;
    if (!cursor) return all;
  }
  throw new Error('paging did not end');
}

describe('every walking-skeleton tool through the MCP SDK client against the sandbox over HTTP', () => {
  let gateway: RunningGateway;
  let megan: Client;

  beforeAll(async () => {
    gateway = await startTestGateway();
    megan = await connectClient(gateway, 'megan');
  });
  afterAll(async () => {
    await megan.close();
    await gateway.close();
  });

  it('lists the skeleton and large-file tools with output schemas and honest annotations', async () => {
    const { tools } = await megan.listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    expect([...byName.keys()]).toEqual(expect.arrayContaining(
      [
        'auth_whoami',
        'calendar_list_events',
        'files_download',
        'files_list',
        'files_upload',
        'files_upload_cancel',
        'files_upload_chunk',
        'files_upload_start',
        'files_upload_status',
        'mail_attachment_upload_start',
        'mail_get_message',
        'mail_list_messages',
        'mail_send',
        'search_query',
      ]),
    );
    for (const tool of tools) {
      expect(tool.outputSchema?.type).toBe('object');
      expect(tool.description?.length).toBeGreaterThan(20);
    }
    expect(byName.get('mail_send')?.annotations).toMatchObject({ readOnlyHint: false, idempotentHint: false, destructiveHint: false });
    expect(byName.get('mail_list_messages')?.annotations).toMatchObject({ readOnlyHint: true });
    expect(byName.get('files_upload_chunk')?.annotations).toMatchObject({ readOnlyHint: false, idempotentHint: true });
    expect(byName.get('files_upload_cancel')?.annotations).toMatchObject({ destructiveHint: true, idempotentHint: true });
  });

  it('auth_whoami names the signed-in user and tenant', async () => {
    const me = await callOk<{ profile: { displayName: string; mail: string }; tenantId: string }>(megan, 'auth_whoami');
    expect(me.profile.displayName).toBe('Megan Bowen');
    expect(me.tenantId).toBe(seededUser('megan').tenantId);
  });

  it('pages through the whole inbox, every message exactly once, newest first', async () => {
    const user = seededUser('megan');
    const inboxSize = gateway.sandbox!.tenant.mailbox(user.id).sorted.filter((m) => m.folder === 'inbox').length;
    expect(inboxSize).toBeGreaterThan(100);
    const messages = await pageThrough<{ id: string; receivedAt: string }>(megan, 'mail_list_messages', 'messages', {
      folder: 'inbox',
      pageSize: 100,
    });
    expect(messages.length).toBe(inboxSize);
    expect(new Set(messages.map((m) => m.id)).size).toBe(inboxSize);
    const times = messages.map((m) => Date.parse(m.receivedAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('filters unread messages and gets one with a plain-text body', async () => {
    const page = await callOk<{ messages: { id: string; isRead: boolean }[] }>(megan, 'mail_list_messages', {
      unreadOnly: true,
      pageSize: 5,
    });
    expect(page.messages.length).toBeGreaterThan(0);
    expect(page.messages.every((m) => !m.isRead)).toBe(true);
    const message = await callOk<{ id: string; body: string; to: unknown[] }>(megan, 'mail_get_message', {
      messageId: page.messages[0]!.id,
    });
    expect(message.id).toBe(page.messages[0]!.id);
    expect(message.body).not.toMatch(/<\/?(p|div|html|br)\b/i);
    expect(message.to.length).toBeGreaterThan(0);
  });

  it('sends mail that the recipient then reads from their own mailbox', async () => {
    const subject = `Skeleton e2e ${Date.now()}`;
    const sent = await callOk<{ status: string; recipients: number }>(megan, 'mail_send', {
      to: ['alex.wilber@contoso.example'],
      subject,
      body: 'Hello Alex, this went through the gateway.',
    });
    expect(sent).toEqual({ status: 'sent', recipients: 1 });
    const alex = await connectClient(gateway, 'alex');
    try {
      const inbox = await callOk<{ messages: { id: string; subject: string; from?: { address: string } }[] }>(
        alex,
        'mail_list_messages',
        { folder: 'inbox', from: 'megan.bowen@contoso.example', pageSize: 10 },
      );
      const received = inbox.messages.filter((m) => m.subject === subject);
      expect(received).toHaveLength(1);
      const full = await callOk<{ body: string }>(alex, 'mail_get_message', { messageId: received[0]!.id });
      expect(full.body).toContain('this went through the gateway');
    } finally {
      await alex.close();
    }
  });

  it('lists calendar events in a window, in the requested time zone', async () => {
    const page = await callOk<{ events: { start: string; end: string; timeZone: string }[] }>(megan, 'calendar_list_events', {
      start: '2025-10-01T00:00:00Z',
      end: '2026-03-01T00:00:00Z',
      timeZone: 'Europe/Paris',
      pageSize: 50,
    });
    expect(page.events.length).toBeGreaterThan(0);
    for (const event of page.events) {
      expect(event.timeZone).toBe('Europe/Paris');
      expect(Date.parse(event.end)).toBeGreaterThanOrEqual(Date.parse(event.start));
    }
  });

  it('pages through a folder of 1,200 files, each exactly once', async () => {
    const items = await pageThrough<{ id: string; kind: string }>(megan, 'files_list', 'items', {
      folder: `/${LARGE_FOLDER_NAME}`,
      pageSize: 200,
    });
    expect(items.length).toBe(1200);
    expect(new Set(items.map((i) => i.id)).size).toBe(1200);
  });

  it('uploads text and binary files and downloads the same content', async () => {
    const name = `notes-${Date.now()}.txt`;
    const uploaded = await callOk<{ id: string; name: string; size: number }>(megan, 'files_upload', {
      folder: '/Documents',
      name,
      content: 'Quarterly notes — ünïcödé ✓',
    });
    expect(uploaded.name).toBe(name);
    const text = await callOk<{ encoding: string; content: string }>(megan, 'files_download', { itemId: uploaded.id });
    expect(text).toMatchObject({ encoding: 'text', content: 'Quarterly notes — ünïcödé ✓' });

    const bytes = Buffer.from([0, 1, 2, 250, 251, 252, 253, 254, 255]);
    const bin = await callOk<{ id: string }>(megan, 'files_upload', {
      name: `blob-${Date.now()}.bin`,
      content: bytes.toString('base64'),
      encoding: 'base64',
    });
    const back = await callOk<{ encoding: string; content: string }>(megan, 'files_download', { itemId: bin.id });
    expect(back.encoding).toBe('base64');
    expect(Buffer.from(back.content, 'base64').equals(bytes)).toBe(true);

    const conflict = await callError(megan, 'files_upload', { folder: '/Documents', name, content: 'again' });
    expect(conflict.category).toBe('conflict');
  });

  it('searches messages, events and files', async () => {
    const result = await callOk<{ hits: { entity: string; summary: string }[] }>(megan, 'search_query', {
      query: 'budget',
      pageSize: 10,
    });
    expect(result.hits.length).toBeGreaterThan(0);
    for (const hit of result.hits) expect(hit.summary).not.toMatch(/<\/?c0>/);
    const filesOnly = await callOk<{ hits: { entity: string }[] }>(megan, 'search_query', { query: 'report', entities: ['driveItem'] });
    expect(filesOnly.hits.every((h) => h.entity === 'driveItem')).toBe(true);
  });

  it('searches SharePoint list items with files in one request, paging every hit once', async () => {
    type Hit = { entity: string; id: string; title: string; webUrl?: string; size?: number };
    const everything = await callOk<{ hits: Hit[] }>(megan, 'search_query', { query: 'budget', pageSize: 25 });
    // By default list items are searched too (with files, in the SharePoint share of the page).
    expect([...new Set(everything.hits.map((h) => h.entity))].sort()).toEqual(expect.arrayContaining(['event', 'listItem', 'message']));
    const hits: Hit[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await callOk<{ hits: Hit[]; nextCursor?: string }>(megan, 'search_query', { query: 'budget', entities: ['listItem', 'driveItem'], pageSize: 7, ...(cursor ? { cursor } : {}) });
      hits.push(...page.hits);
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    // What the sandbox holds for this query: one request per page, no file twice.
    const user = seededUser('megan');
    const truth = await fetch(`${gateway.sandbox!.url}/v1.0/search/query`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gateway.sandbox!.mintToken(user, ['Files.Read.All', 'Sites.Read.All'])}`, 'content-type': 'application/json' },
      body: JSON.stringify({ requests: [{ entityTypes: ['driveItem', 'listItem'], query: { queryString: 'budget' }, size: 1000 }] }),
    });
    const total = ((await truth.json()) as { value: { hitsContainers: { total: number }[] }[] }).value[0]!.hitsContainers[0]!.total;
    expect(hits).toHaveLength(total);
    expect(pages).toBe(Math.ceil(total / 7));
    expect(new Set(hits.map((h) => `${h.entity}:${h.id}`)).size).toBe(total);
    const items = hits.filter((h) => h.entity === 'listItem');
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((h) => h.webUrl?.includes('/Lists/') && h.size === undefined && h.title !== '')).toBe(true);
    expect(await callError(megan, 'search_query', { query: 'budget', entities: ['site'] })).toMatchObject({ category: 'invalid_input' });
  });
});

describe('Graph faults surface as taxonomy errors', () => {
  let gateway: RunningGateway;
  let client: Client;
  beforeAll(async () => {
    gateway = await startTestGateway();
    client = await connectClient(gateway);
  });
  afterAll(async () => {
    await client.close();
    await gateway.close();
  });

  it('a 429 with Retry-After becomes throttled with retryAfterSeconds and the Graph request id', async () => {
    gateway.sandbox!.faults.set({ status429Rate: 1, retryAfterSeconds: 7, pathPattern: '/me/messages' });
    try {
      const error = await callError(client, 'mail_list_messages', {});
      expect(error).toMatchObject({ category: 'throttled', retryable: true, retryAfterSeconds: 7 });
      expect(error.graphRequestId).toMatch(/[0-9a-f-]{36}/);
      expect(error.correlationId).toBeTruthy();
    } finally {
      gateway.sandbox!.faults.clear();
    }
  });

  it('a 503 becomes unavailable and retryable', async () => {
    gateway.sandbox!.faults.set({ status503Rate: 1, pathPattern: '/drive/' });
    try {
      const error = await callError(client, 'files_list', {});
      expect(error).toMatchObject({ category: 'unavailable', retryable: true });
    } finally {
      gateway.sandbox!.faults.clear();
    }
  });
});
