import type { Identity } from '../../domain/identity.js';
import type { Page } from '../../domain/paging.js';
import type { JoinedTeam, OutgoingTeamsMessage, SentTeamsMessage, TeamsChannel, TeamsChat, TeamsConversation, TeamsMessage } from '../../domain/teams.js';
import type { TeamsGateway } from '../../ports/teams-gateway.js';
import { decodeNextLink, encodeNextLink, invalidCursor } from './graph-cursor.js';
import type { GraphHttpClient, GraphRequest } from './graph-http-client.js';
import { segment } from './graph-path.js';
import { listOf, obj } from './graph-values.js';
import { toJoinedTeam, toSentTeamsMessage, toTeamsChannel, toTeamsChat, toTeamsMessage } from './normalize-teams.js';

const CHATS_RESOURCE = /^\/me\/chats$/;
const MESSAGES_RESOURCE = /^\/(chats\/[^/]+|teams\/[^/]+\/channels\/[^/]+)\/messages(\/[^/]+\/replies)?$/;

/** The messages collection of a chat, a channel, or a channel post's replies. */
function messagesPath(where: TeamsConversation): string {
  if (where.kind === 'chat') return `/chats/${segment(where.chatId)}/messages`;
  const channel = `/teams/${segment(where.teamId)}/channels/${segment(where.channelId)}/messages`;
  return where.postId === undefined ? channel : `${channel}/${segment(where.postId)}/replies`;
}

/** Graph may spell ids in a nextLink raw (`19:x@thread.v2`) or percent-encoded: compare decoded. */
function samePath(a: string, b: string): boolean {
  try {
    return decodeURIComponent(a) === decodeURIComponent(b);
  } catch {
    return false;
  }
}

export class HttpTeamsGateway implements TeamsGateway {
  constructor(private readonly graph: GraphHttpClient) {}

  private call<T>(caller: Identity, req: Omit<GraphRequest, 'family'>): Promise<T> {
    return this.graph.request<T>(caller, { family: 'teams', ...req });
  }

  async listChats(caller: Identity, pageSize: number, cursor?: string): Promise<Page<TeamsChat>> {
    const request =
      cursor !== undefined
        ? { path: decodeNextLink(cursor, this.graph.baseUrl, CHATS_RESOURCE) }
        : { path: '/me/chats', query: { $expand: 'members,lastMessagePreview', $orderby: 'lastMessagePreview/createdDateTime desc', $top: pageSize } };
    const body = await this.call<unknown>(caller, { operation: 'teams.listChats', method: 'GET', idempotent: true, ...request });
    const { items, nextLink } = listOf(body);
    const page: Page<TeamsChat> = { items: items.map((raw) => toTeamsChat(raw, caller.objectId)) };
    if (nextLink !== undefined) page.nextCursor = encodeNextLink(nextLink, this.graph.baseUrl);
    return page;
  }

  async listJoinedTeams(caller: Identity): Promise<JoinedTeam[]> {
    // Not paged by Graph and without OData options: one response holds every joined team.
    const body = await this.call<unknown>(caller, { operation: 'teams.listJoinedTeams', method: 'GET', path: '/me/joinedTeams', idempotent: true });
    return listOf(body).items.map(toJoinedTeam);
  }

  async listChannels(caller: Identity, teamId: string): Promise<TeamsChannel[]> {
    const body = await this.call<unknown>(caller, {
      operation: 'teams.listChannels',
      method: 'GET',
      path: `/teams/${segment(teamId)}/channels`,
      // Graph computes `email` and `moderationSettings` slowly; ask only for what we show.
      query: { $select: 'id,displayName,description,membershipType' },
      idempotent: true,
    });
    return listOf(body).items.map(toTeamsChannel);
  }

  async listMessages(caller: Identity, where: TeamsConversation, pageSize: number, cursor?: string): Promise<Page<TeamsMessage>> {
    const path = messagesPath(where);
    let request: Pick<GraphRequest, 'path' | 'query'>;
    if (cursor !== undefined) {
      const next = decodeNextLink(cursor, this.graph.baseUrl, MESSAGES_RESOURCE);
      // A cursor continues the conversation it came from, never another one.
      if (!samePath(next.split('?')[0] ?? '', path)) throw invalidCursor();
      request = { path: next };
    } else {
      // Chats default to lastModifiedDateTime order (edits reorder them); ask for creation order.
      request = { path, query: { $top: pageSize, ...(where.kind === 'chat' ? { $orderby: 'createdDateTime desc' } : {}) } };
    }
    const body = await this.call<unknown>(caller, { operation: 'teams.listMessages', method: 'GET', idempotent: true, ...request });
    const { items, nextLink } = listOf(body);
    const page: Page<TeamsMessage> = { items: items.map(toTeamsMessage).filter((m): m is TeamsMessage => m !== undefined) };
    if (nextLink !== undefined) page.nextCursor = encodeNextLink(nextLink, this.graph.baseUrl);
    return page;
  }

  async sendMessage(caller: Identity, where: TeamsConversation, message: OutgoingTeamsMessage): Promise<SentTeamsMessage> {
    const body = await this.call<unknown>(caller, {
      operation: 'teams.sendMessage',
      method: 'POST',
      path: messagesPath(where),
      body: { body: { contentType: message.contentType, content: message.content } },
      idempotent: false,
    });
    return toSentTeamsMessage(obj(body));
  }
}
