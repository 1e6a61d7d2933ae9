import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededUser } from '../../src/adapters/sandbox/seed.js';
import { TEAMS_SEED } from '../../src/adapters/sandbox/teams-world.js';
import type { Config } from '../../src/app/config.js';
import type { RunningGateway } from '../../src/app/gateway.js';
import { TOKENS } from '../../src/app/tokens.js';
import type { GraphTokenProvider } from '../../src/ports/graph-token-provider.js';
import { callError, callOk, connectClient, startTestGateway } from '../support/gateway.js';

interface Chat {
  id: string;
  type: string;
  topic?: string;
  members: string[];
  lastMessage?: { from?: string; text: string; at: string };
}
interface Message {
  id: string;
  from?: string;
  createdAt: string;
  body: string;
  replyToId?: string;
  attachments?: { name: string; url?: string }[];
  webUrl?: string;
}
interface Team {
  id: string;
  name: string;
  channels?: { id: string; name: string; type: string }[];
}

async function allPages<T>(client: Client, tool: string, key: string, args: Record<string, unknown>): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await callOk<Record<string, unknown>>(client, tool, { ...args, ...(cursor ? { cursor } : {}) });
    items.push(...(page[key] as T[]));
    cursor = page.nextCursor as string | undefined;
    pages += 1;
  } while (cursor && pages < 100);
  return { items, pages };
}

const newestFirst = (messages: { createdAt: string }[]): boolean => messages.every((m, i) => i === 0 || m.createdAt <= messages[i - 1]!.createdAt);

describe('Teams chat and channels through the MCP SDK client against the sandbox', () => {
  let gateway: RunningGateway;
  let megan: Client;
  let marketing: Team;
  let general: { id: string; name: string };

  beforeAll(async () => {
    gateway = await startTestGateway({ TEAMS_ENABLED: 'true' });
    megan = await connectClient(gateway, 'megan');
    const { teams } = await callOk<{ teams: Team[] }>(megan, 'teams_list_channels');
    marketing = teams.find((t) => t.name === 'Contoso Marketing')!;
    general = marketing.channels!.find((c) => c.name === 'General')!;
  });
  afterAll(async () => {
    await megan.close();
    await gateway.close();
  });

  it('pages through chats, latest activity first, every chat once, without the user among the members', async () => {
    const { items: chats, pages } = await allPages<Chat>(megan, 'teams_list_chats', 'chats', { pageSize: 4 });
    expect(pages).toBeGreaterThan(2);
    // Five colleagues one-on-one, three group chats and a meeting chat.
    expect(chats).toHaveLength(9);
    expect(new Set(chats.map((c) => c.id)).size).toBe(chats.length);
    const times = chats.map((c) => c.lastMessage!.at);
    expect(times).toEqual([...times].sort().reverse());
    const oneOnOne = chats.filter((c) => c.type === 'oneOnOne');
    expect(oneOnOne).toHaveLength(5);
    expect(oneOnOne.every((c) => c.topic === undefined && c.members.length === 1)).toBe(true);
    expect(chats.some((c) => c.members.includes('Megan Bowen'))).toBe(false);
    expect(chats.filter((c) => c.type === 'group').map((c) => c.topic).sort()).toEqual(['Budget review', 'Lunch crew', 'Q1 launch']);
    expect(chats.every((c) => !c.lastMessage!.text.includes('<'))).toBe(true);
  });

  it('reads a long chat newest first in pages, as plain text, skipping system events and deleted messages', async () => {
    const { chats } = await callOk<{ chats: Chat[] }>(megan, 'teams_list_chats', { pageSize: 50 });
    const alex = chats.find((c) => c.type === 'oneOnOne' && c.members[0] === 'Alex Wilber')!;
    const { items, pages } = await allPages<Message>(megan, 'teams_list_messages', 'messages', { chatId: alex.id, pageSize: 25 });
    expect(items).toHaveLength(TEAMS_SEED.firstChatMessages);
    expect(pages).toBe(3);
    expect(new Set(items.map((m) => m.id)).size).toBe(items.length);
    expect(newestFirst(items)).toBe(true);
    expect(items.every((m) => !/[<>]/.test(m.body) && ['Megan Bowen', 'Alex Wilber'].includes(m.from!))).toBe(true);
    expect(items[0]!.body).toBe(alex.lastMessage!.text);

    const group = chats.find((c) => c.topic === 'Q1 launch')!;
    const raw = await fetch(`${gateway.sandbox!.url}/v1.0/chats/${encodeURIComponent(group.id)}/messages?$top=50`, {
      headers: { authorization: `Bearer ${gateway.sandbox!.mintToken(seededUser('megan'), ['Chat.Read'])}` },
    });
    const graphMessages = ((await raw.json()) as { value: { messageType: string; deletedDateTime: string | null }[] }).value;
    const readable = graphMessages.filter((m) => m.messageType === 'message' && m.deletedDateTime === null).length;
    expect(readable).toBeLessThan(graphMessages.length - 1);
    expect((await callOk<{ messages: Message[] }>(megan, 'teams_list_messages', { chatId: group.id, pageSize: 50 })).messages).toHaveLength(readable);
  });

  it('lists joined teams with their channels, hiding private channels the user is not in', async () => {
    const { teams } = await callOk<{ teams: Team[] }>(megan, 'teams_list_channels');
    expect(teams.map((t) => t.name).sort()).toEqual(['All Company', 'Contoso Marketing', 'Project Apollo']);
    expect(teams.every((t) => t.channels!.some((c) => c.name === 'General'))).toBe(true);
    const apollo = teams.find((t) => t.name === 'Project Apollo')!;
    expect(apollo.channels!.map((c) => c.name)).toEqual(['General', 'Design']);
    const one = await callOk<{ teams: Team[] }>(megan, 'teams_list_channels', { teamId: apollo.id });
    expect(one.teams).toEqual([apollo]);
    expect((await callError(megan, 'teams_list_channels', { teamId: '00000000-0000-4000-8000-000000000000' })).category).toBe('not_found');
    // Isaiah is not in Contoso Marketing.
    const isaiah = await connectClient(gateway, 'isaiah');
    try {
      expect((await callOk<{ teams: Team[] }>(isaiah, 'teams_list_channels')).teams.map((t) => t.name)).not.toContain('Contoso Marketing');
      expect((await callError(isaiah, 'teams_list_messages', { teamId: marketing.id, channelId: general.id })).category).toBe('forbidden');
    } finally {
      await isaiah.close();
    }
  });

  it('reads channel posts in pages and a post\'s replies with postId', async () => {
    const { items: posts } = await allPages<Message>(megan, 'teams_list_messages', 'messages', { teamId: marketing.id, channelId: general.id, pageSize: 7 });
    expect(posts).toHaveLength(TEAMS_SEED.channelPosts);
    expect(newestFirst(posts)).toBe(true);
    expect(posts.every((p) => p.replyToId === undefined && p.webUrl?.startsWith('https://'))).toBe(true);
    expect(posts.at(-1)!.attachments).toEqual([{ name: 'Launch plan.docx', url: expect.stringMatching(/^https:\/\/.+Launch%20plan\.docx$/) }]);
    const threads = await Promise.all(posts.slice(0, 10).map((p) => callOk<{ messages: Message[] }>(megan, 'teams_list_messages', { teamId: marketing.id, channelId: general.id, postId: p.id, pageSize: 50 })));
    const withReplies = threads.findIndex((t) => t.messages.length > 0);
    expect(withReplies).toBeGreaterThanOrEqual(0);
    expect(threads[withReplies]!.messages.every((r) => r.replyToId === posts[withReplies]!.id)).toBe(true);
  });

  it('sends to a chat (text and HTML) and replies in a channel thread; an idempotency key sends once', async () => {
    const { chats } = await callOk<{ chats: Chat[] }>(megan, 'teams_list_chats', { pageSize: 50 });
    const lee = chats.find((c) => c.type === 'oneOnOne' && c.members[0] === 'Lee Gu')!;
    const text = `Status update ${Date.now()}`;
    const key = `teams-${Date.now()}`;
    const sent = await callOk<{ id: string; createdAt: string }>(megan, 'teams_send_message', { chatId: lee.id, body: text, idempotency_key: key });
    const again = await callOk<{ id: string }>(megan, 'teams_send_message', { chatId: lee.id, body: text, idempotency_key: key });
    expect(again.id).toBe(sent.id);
    await callOk(megan, 'teams_send_message', { chatId: lee.id, body: '<p>Agenda: <b>budget</b> &amp; plan</p>', bodyType: 'html' });
    const latest = (await callOk<{ messages: Message[] }>(megan, 'teams_list_messages', { chatId: lee.id, pageSize: 3 })).messages;
    expect(latest.map((m) => m.body).slice(0, 2)).toEqual(['Agenda: budget & plan', text]);
    expect(latest[2]!.body).not.toBe(text);
    expect(latest.slice(0, 2).every((m) => m.from === 'Megan Bowen')).toBe(true);
    const { chats: after } = await callOk<{ chats: Chat[] }>(megan, 'teams_list_chats', { pageSize: 1 });
    expect(after[0]).toMatchObject({ id: lee.id, lastMessage: { from: 'Megan Bowen', text: 'Agenda: budget & plan' } });

    const post = (await callOk<{ messages: Message[] }>(megan, 'teams_list_messages', { teamId: marketing.id, channelId: general.id, pageSize: 1 })).messages[0]!;
    const reply = await callOk<{ id: string; webUrl?: string }>(megan, 'teams_send_message', { teamId: marketing.id, channelId: general.id, postId: post.id, body: 'On it.' });
    expect(reply.webUrl).toMatch(/^https:\/\//);
    const replies = (await callOk<{ messages: Message[] }>(megan, 'teams_list_messages', { teamId: marketing.id, channelId: general.id, postId: post.id })).messages;
    expect(replies[0]).toMatchObject({ id: reply.id, body: 'On it.', replyToId: post.id, from: 'Megan Bowen' });
    const newPost = await callOk<{ id: string }>(megan, 'teams_send_message', { teamId: marketing.id, channelId: general.id, body: 'New post' });
    expect((await callOk<{ messages: Message[] }>(megan, 'teams_list_messages', { teamId: marketing.id, channelId: general.id, pageSize: 1 })).messages[0]!.id).toBe(newPost.id);
  });

  it('maps the error paths: unknown chat, ambiguous or missing target, oversize message, bad cursor, throttling', async () => {
    expect(await callError(megan, 'teams_list_messages', { chatId: '19:nope@thread.v2' })).toMatchObject({ category: 'not_found' });
    expect(await callError(megan, 'teams_send_message', { chatId: '19:nope@thread.v2', body: 'hi' })).toMatchObject({ category: 'not_found' });
    expect(await callError(megan, 'teams_list_messages', {})).toMatchObject({ category: 'invalid_input', code: 'teams.missingConversation' });
    expect(await callError(megan, 'teams_list_messages', { chatId: 'a', teamId: marketing.id, channelId: general.id })).toMatchObject({ code: 'teams.ambiguousConversation' });
    expect(await callError(megan, 'teams_list_messages', { chatId: 'a', postId: 'b' })).toMatchObject({ code: 'teams.ambiguousConversation' });
    const { chats } = await callOk<{ chats: Chat[] }>(megan, 'teams_list_chats', { pageSize: 50 });
    const chatId = chats[0]!.id;
    // 10 000 euro signs: fewer characters than the cap, 30 000 bytes.
    expect(await callError(megan, 'teams_send_message', { chatId, body: '€'.repeat(10_000) })).toMatchObject({ category: 'payload_too_large', code: 'teams.messageTooLarge' });
    expect(await callError(megan, 'teams_send_message', { chatId, body: 'x'.repeat(40_000) })).toMatchObject({ category: 'invalid_input' });
    expect(await callError(megan, 'teams_send_message', { chatId, body: '   ' })).toMatchObject({ code: 'teams.invalidBody' });
    // A cursor continues its own conversation only.
    const first = await callOk<{ nextCursor?: string }>(megan, 'teams_list_messages', { teamId: marketing.id, channelId: general.id, pageSize: 2 });
    expect(await callError(megan, 'teams_list_messages', { chatId, cursor: first.nextCursor })).toMatchObject({ code: 'paging.invalidCursor' });

    // Longer than GRAPH_RETRY_AFTER_MAX_SECONDS: the gateway does not wait, it tells the client.
    gateway.sandbox!.faults.set({ status429Rate: 1, retryAfterSeconds: 30, pathPattern: '/chats' });
    try {
      expect(await callError(megan, 'teams_list_chats', {})).toMatchObject({ category: 'throttled', retryable: true, retryAfterSeconds: 30 });
    } finally {
      gateway.sandbox!.faults.clear();
    }
  });
});

describe('the teams family switch', () => {
  it('is off by default: no teams tools and no Teams scopes', async () => {
    const gateway = await startTestGateway();
    try {
      const client = await connectClient(gateway);
      const names = (await client.listTools()).tools.map((t) => t.name);
      await client.close();
      expect(names.some((n) => n.startsWith('teams_'))).toBe(false);
      expect(gateway.container.get<Config>(TOKENS.Config).auth.scopes.some((s) => /^(Chat|Channel|Team)/.test(s))).toBe(false);
    } finally {
      await gateway.close();
    }
  });

  it('read-only with Teams on lists the reading tools and grants only read scopes', async () => {
    const gateway = await startTestGateway({ TEAMS_ENABLED: 'true', READ_ONLY: 'true' });
    try {
      const client = await connectClient(gateway);
      const names = (await client.listTools()).tools.map((t) => t.name).filter((n) => n.startsWith('teams_'));
      expect(names.sort()).toEqual(['teams_list_channels', 'teams_list_chats', 'teams_list_messages']);
      expect((await callOk<{ chats: unknown[] }>(client, 'teams_list_chats', { pageSize: 1 })).chats).toHaveLength(1);
      await client.close();
      const user = seededUser('megan');
      const token = await gateway.container.get<GraphTokenProvider>(TOKENS.GraphTokenProvider).getAccessToken({ tenantId: user.tenantId, objectId: user.id, subject: user.id, clientId: 'c', scopes: [] });
      const scopes = (JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')) as { scopes: string[] }).scopes;
      expect(scopes).toEqual(expect.arrayContaining(['Chat.Read', 'ChannelMessage.Read.All', 'Team.ReadBasic.All', 'Channel.ReadBasic.All']));
      expect(scopes.filter((s) => /Send|Write/.test(s))).toEqual([]);
    } finally {
      await gateway.close();
    }
  });
});
