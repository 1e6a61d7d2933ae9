import { describe, expect, it } from 'vitest';
import { InMemoryTeamsGateway } from '../../../src/adapters/memory/in-memory-teams-gateway.js';
import type { TeamsGateway } from '../../../src/ports/teams-gateway.js';
import { ListChats } from '../../../src/domain/use-cases/list-chats.js';
import { LIST_TEAMS_CHANNELS_LIMITS, ListTeamsChannels } from '../../../src/domain/use-cases/list-teams-channels.js';
import { ListTeamsMessages } from '../../../src/domain/use-cases/list-teams-messages.js';
import { SendTeamsMessage } from '../../../src/domain/use-cases/send-teams-message.js';
import { domainErrorOf, makeIdentity } from '../fixtures.js';

const me = makeIdentity();
const chat = (id: string, at: string) => ({ id, type: 'oneOnOne' as const, members: ['Ada'], lastMessage: { text: 'hi', at } });
const message = (id: string, createdAt: string) => ({ id, createdAt, body: `m${id}` });

function world(): InMemoryTeamsGateway {
  const teams = new InMemoryTeamsGateway(() => Date.parse('2026-01-12T09:00:00Z'));
  teams.addChat(me, chat('c1', '2026-01-01T00:00:00Z'), message('1', '2026-01-01T00:00:00Z'), message('2', '2026-01-02T00:00:00Z'), message('3', '2026-01-03T00:00:00Z'));
  teams.addChat(me, chat('c2', '2026-01-05T00:00:00Z'));
  teams.addTeam(me, { id: 't1', name: 'Apollo', channels: [{ id: 'ch1', name: 'General', type: 'standard' }] });
  return teams;
}

describe('ListChats and ListTeamsMessages', () => {
  it('lists chats by latest activity and pages messages newest first', async () => {
    const teams = world();
    expect((await new ListChats(teams).execute(me, {})).items.map((c) => c.id)).toEqual(['c2', 'c1']);
    const list = new ListTeamsMessages(teams);
    const first = await list.execute(me, { chatId: 'c1', pageSize: 2 });
    expect(first.items.map((m) => m.id)).toEqual(['3', '2']);
    const second = await list.execute(me, { chatId: 'c1', pageSize: 2, cursor: first.nextCursor as string });
    expect(second.items.map((m) => m.id)).toEqual(['1']);
    expect(second.nextCursor).toBeUndefined();
  });

  it.each([
    [{}, 'teams.missingConversation'],
    [{ teamId: 't1' }, 'teams.missingConversation'],
    [{ chatId: 'c1', teamId: 't1' }, 'teams.ambiguousConversation'],
    [{ chatId: 'c1', postId: 'p' }, 'teams.ambiguousConversation'],
    [{ chatId: '../x y' }, 'teams.invalidChatId'],
    [{ teamId: 't1', channelId: '..' }, 'teams.invalidChannelId'],
    [{ chatId: 'c1', cursor: 'not a cursor!' }, 'paging.invalidCursor'],
  ])('refuses %j before any call (%s)', async (input, code) => {
    expect(await domainErrorOf(() => new ListTeamsMessages(world()).execute(me, input))).toMatchObject({ category: 'invalid_input', code });
  });
});

describe('ListTeamsChannels', () => {
  it('expands the channels of the first teams only, a few at a time', async () => {
    const inner = new InMemoryTeamsGateway();
    for (let i = 0; i < 60; i++) inner.addTeam(me, { id: `t${i}`, name: `Team ${i}`, channels: [{ id: `c${i}`, name: 'General', type: 'standard' }] });
    let inFlight = 0;
    let peak = 0;
    const counting: TeamsGateway = Object.assign(Object.create(inner) as TeamsGateway, {
      listChannels: async (caller: typeof me, teamId: string) => {
        peak = Math.max(peak, ++inFlight);
        await new Promise((r) => setTimeout(r, 1));
        inFlight -= 1;
        return inner.listChannels(caller, teamId);
      },
    });
    const teams = await new ListTeamsChannels(counting).execute(me, {});
    expect(teams).toHaveLength(60);
    expect(teams.filter((t) => t.channels !== undefined)).toHaveLength(LIST_TEAMS_CHANNELS_LIMITS.maxTeamsWithChannels);
    expect(teams[59]).toEqual({ id: 't59', name: 'Team 59' });
    expect(peak).toBe(LIST_TEAMS_CHANNELS_LIMITS.concurrency);
    expect((await new ListTeamsChannels(counting).execute(me, { teamId: 't59' }))[0]?.channels).toHaveLength(1);
    expect(await domainErrorOf(() => new ListTeamsChannels(inner).execute(me, { teamId: 'nope' }))).toMatchObject({ category: 'not_found', code: 'teams.teamNotFound' });
  });
});

describe('SendTeamsMessage', () => {
  it('sends text and HTML to a chat or a channel thread', async () => {
    const teams = world();
    const send = new SendTeamsMessage(teams);
    const sent = await send.execute(me, { chatId: 'c1', body: '<b>Hello</b>', bodyType: 'html' });
    expect(sent.createdAt).toBe('2026-01-12T09:00:00.000Z');
    expect((await new ListTeamsMessages(teams).execute(me, { chatId: 'c1', pageSize: 1 })).items[0]).toMatchObject({ id: sent.id, body: 'Hello' });
    await send.execute(me, { teamId: 't1', channelId: 'ch1', postId: 'p1', body: 'reply' });
    expect((await new ListTeamsMessages(teams).execute(me, { teamId: 't1', channelId: 'ch1', postId: 'p1' })).items[0]).toMatchObject({ body: 'reply', replyToId: 'p1' });
  });

  it('refuses empty and oversize messages, and names the cap and the alternative', async () => {
    const send = new SendTeamsMessage(world());
    expect(await domainErrorOf(() => send.execute(me, { chatId: 'c1', body: ' \n ' }))).toMatchObject({ category: 'invalid_input', code: 'teams.invalidBody' });
    const big = await domainErrorOf(() => send.execute(me, { chatId: 'c1', body: 'é'.repeat(15_000) }));
    expect(big).toMatchObject({ category: 'payload_too_large', code: 'teams.messageTooLarge' });
    expect(big.message).toMatch(/28 KB.*30 KB.*files_share/);
    // Exactly at the cap is fine.
    await send.execute(me, { chatId: 'c1', body: 'a'.repeat(28 * 1024) });
    expect(await domainErrorOf(() => send.execute(me, { chatId: 'unknown', body: 'x' }))).toMatchObject({ category: 'not_found' });
  });
});
