import { notFound } from '../../domain/errors.js';
import type { Identity } from '../../domain/identity.js';
import { userKey } from '../../domain/identity.js';
import type { Page } from '../../domain/paging.js';
import type { JoinedTeam, OutgoingTeamsMessage, SentTeamsMessage, TeamsChannel, TeamsChat, TeamsConversation, TeamsMessage } from '../../domain/teams.js';
import { htmlToText } from '../../domain/text.js';
import type { TeamsGateway } from '../../ports/teams-gateway.js';
import { pageOf } from './in-memory-paging.js';

type Owner = Pick<Identity, 'tenantId' | 'objectId'>;

/** A conversation's storage key: chat, channel, or one post's thread. */
function keyOf(where: TeamsConversation): string {
  return where.kind === 'chat' ? `chat:${where.chatId}` : `channel:${where.teamId}:${where.channelId}:${where.postId ?? ''}`;
}

/** Teams per user in memory: chats, joined teams with channels, and messages newest first. */
export class InMemoryTeamsGateway implements TeamsGateway {
  private readonly chats = new Map<string, TeamsChat[]>();
  private readonly teams = new Map<string, Array<JoinedTeam & { channels: TeamsChannel[] }>>();
  private readonly messages = new Map<string, TeamsMessage[]>();
  private sent = 0;

  constructor(private readonly now: () => number = Date.now) {}

  addChat(owner: Owner, chat: TeamsChat, ...messages: TeamsMessage[]): void {
    this.chats.set(userKey(owner), [...(this.chats.get(userKey(owner)) ?? []), chat]);
    this.addMessages({ kind: 'chat', chatId: chat.id }, ...messages);
  }

  addTeam(owner: Owner, team: JoinedTeam & { channels: TeamsChannel[] }): void {
    this.teams.set(userKey(owner), [...(this.teams.get(userKey(owner)) ?? []), team]);
  }

  addMessages(where: TeamsConversation, ...messages: TeamsMessage[]): void {
    this.messages.set(keyOf(where), [...(this.messages.get(keyOf(where)) ?? []), ...messages]);
  }

  async listChats(caller: Identity, pageSize: number, cursor?: string): Promise<Page<TeamsChat>> {
    const chats = this.chats.get(userKey(caller)) ?? [];
    return pageOf({}, pageSize, cursor, () => [...chats].sort((a, b) => (b.lastMessage?.at ?? '').localeCompare(a.lastMessage?.at ?? '')));
  }

  async listJoinedTeams(caller: Identity): Promise<JoinedTeam[]> {
    return (this.teams.get(userKey(caller)) ?? []).map(({ channels: _channels, ...team }) => team);
  }

  async listChannels(caller: Identity, teamId: string): Promise<TeamsChannel[]> {
    const team = (this.teams.get(userKey(caller)) ?? []).find((t) => t.id === teamId);
    if (!team) throw notFound('graph.NotFound', 'No such team.');
    return team.channels;
  }

  async listMessages(caller: Identity, where: TeamsConversation, pageSize: number, cursor?: string): Promise<Page<TeamsMessage>> {
    this.requireMember(caller, where);
    const all = this.messages.get(keyOf(where)) ?? [];
    return pageOf(keyOf(where), pageSize, cursor, () => [...all].sort((a, b) => b.createdAt.localeCompare(a.createdAt)));
  }

  async sendMessage(caller: Identity, where: TeamsConversation, message: OutgoingTeamsMessage): Promise<SentTeamsMessage> {
    this.requireMember(caller, where);
    const createdAt = new Date(this.now()).toISOString();
    const id = String(this.now() * 1000 + (++this.sent % 1000));
    const body = message.contentType === 'html' ? htmlToText(message.content) : message.content;
    this.addMessages(where, { id, createdAt, body, ...(where.kind === 'channel' && where.postId ? { replyToId: where.postId } : {}) });
    return { id, createdAt };
  }

  private requireMember(caller: Identity, where: TeamsConversation): void {
    const known =
      where.kind === 'chat'
        ? (this.chats.get(userKey(caller)) ?? []).some((c) => c.id === where.chatId)
        : (this.teams.get(userKey(caller)) ?? []).some((t) => t.id === where.teamId && t.channels.some((ch) => ch.id === where.channelId));
    if (!known) throw notFound('graph.NotFound', 'No such chat or channel.');
  }
}
