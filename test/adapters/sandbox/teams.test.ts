import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededUser } from '../../../src/adapters/sandbox/seed.js';
import { TEAMS_SEED } from '../../../src/adapters/sandbox/teams-world.js';
import { makeSandbox, readAllPages } from './sandbox-fixture.js';
import type { SandboxFixture } from './sandbox-fixture.js';

const READ = ['Chat.Read', 'Team.ReadBasic.All', 'Channel.ReadBasic.All', 'ChannelMessage.Read.All'];
const megan = seededUser('megan');
const isaiah = seededUser('isaiah');
let fx: SandboxFixture;

beforeAll(async () => {
  fx = await makeSandbox();
});
afterAll(async () => {
  await fx.sandbox.close();
});

interface Chat {
  id: string;
  chatType: string;
  members?: { userId: string }[];
  lastMessagePreview?: { createdDateTime: string } | null;
}
interface GraphMessage {
  id: string;
  messageType: string;
  replyToId: string | null;
  body: { contentType: string; content: string };
  from: { user: { displayName: string } } | null;
}

const path = (id: string): string => encodeURIComponent(id);

describe('sandbox Teams', () => {
  it('lists chats with $expand, ordered by the last message, paged with @odata.nextLink', async () => {
    const { items, pages } = await readAllPages<Chat>(fx, megan, '/v1.0/me/chats?$expand=members,lastMessagePreview&$orderby=lastMessagePreview/createdDateTime%20desc&$top=2');
    expect(pages).toBe(5);
    expect(items).toHaveLength(9);
    expect(items.every((c) => c.members?.some((m) => m.userId === megan.id))).toBe(true);
    const times = items.map((c) => c.lastMessagePreview?.createdDateTime ?? '');
    expect(times).toEqual([...times].sort().reverse());
    const plain = await fx.json<{ value: Chat[] }>(megan, '/v1.0/me/chats?$top=1', { scopes: READ });
    expect(plain.value[0]?.members).toBeUndefined();
  });

  it('pages chat messages newest first and includes system events and deleted messages as Graph does', async () => {
    const { value: chats } = await fx.json<{ value: Chat[] }>(megan, '/v1.0/me/chats?$top=50', { scopes: READ });
    const first = chats.find((c) => c.id.includes(megan.id) && c.id.includes(seededUser('alex').id))!;
    const { items } = await readAllPages<GraphMessage>(fx, megan, `/v1.0/chats/${path(first.id)}/messages?$top=50&$orderby=createdDateTime%20desc`);
    expect(items).toHaveLength(TEAMS_SEED.firstChatMessages);
    const group = chats.find((c) => c.chatType === 'group')!;
    const groupMessages = await fx.json<{ value: GraphMessage[] }>(megan, `/v1.0/me/chats/${path(group.id)}/messages?$top=50`, { scopes: READ });
    expect(groupMessages.value.some((m) => m.messageType === 'systemEventMessage' && m.from === null)).toBe(true);
  });

  it('answers with Graph error bodies: bad $top, unknown chat, missing scope, non-member, oversize post', async () => {
    const tooMany = await fx.call(megan, '/v1.0/me/chats?$top=51', { scopes: READ });
    expect(tooMany.status).toBe(400);
    const unknown = await fx.call(megan, `/v1.0/chats/${path('19:nope@thread.v2')}/messages`, { scopes: READ });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'NotFound', innerError: { 'request-id': expect.any(String) } } });
    expect((await fx.call(megan, '/v1.0/me/chats', { scopes: ['Mail.Read'] })).status).toBe(403);
    const { value: teams } = await fx.json<{ value: { id: string; displayName: string }[] }>(megan, '/v1.0/me/joinedTeams', { scopes: READ });
    const marketing = teams.find((t) => t.displayName === 'Contoso Marketing')!;
    expect((await fx.call(isaiah, `/v1.0/teams/${marketing.id}/channels`, { scopes: READ })).status).toBe(403);
    const { value: channels } = await fx.json<{ value: { id: string }[] }>(megan, `/v1.0/teams/${marketing.id}/channels`, { scopes: READ });
    const post = (content: string, scopes = ['ChannelMessage.Send']): Promise<Response> =>
      fx.call(megan, `/v1.0/teams/${marketing.id}/channels/${path(channels[0]!.id)}/messages`, { method: 'POST', scopes, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ body: { content } }) });
    expect((await post('hi', READ)).status).toBe(403);
    const tooBig = await post('€'.repeat(10_000));
    expect(tooBig.status).toBe(413);
    expect(await tooBig.json()).toMatchObject({ error: { code: 'RequestEntityTooLarge' } });
    const ok = await post('hello');
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({ messageType: 'message', body: { contentType: 'text', content: 'hello' }, from: { user: { displayName: 'Megan Bowen' } }, channelIdentity: { teamId: marketing.id } });
  });
});
