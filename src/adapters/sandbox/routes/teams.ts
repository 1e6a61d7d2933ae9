import { Hono } from 'hono';
import { z } from 'zod';
import type { SandboxContext, SandboxEnv } from '../context.js';
import { requireScope } from '../context.js';
import { GraphError, badRequest } from '../graph-errors.js';
import { decodeSkipToken, encodeSkipToken, isoSeconds, nextLink, pageAfter, parseTop } from '../odata.js';
import type { SandboxUser } from '../sandbox-tenant.js';
import { nextMessageMs, seedTeamsWorld } from '../teams-world.js';
import type { StoredChannel, StoredChat, StoredTeam, StoredTeamsMessage, TeamsWorld } from '../teams-world.js';
import type { RouteDeps } from './route-deps.js';
import { odataContext } from './route-deps.js';
import { GRAPH_BODY_ERRORS, readJsonBody } from './json-body.js';

/**
 * Microsoft Teams: `/me/chats`, `/chats/{id}/messages`, `/me/joinedTeams`, `/teams/{id}/channels` and channel
 * messages with replies, with Graph's paging ($top at most 50, @odata.nextLink), scopes and error bodies.
 */

/** Teams refuses bigger messages (text and formatting together). */
const MAX_MESSAGE_BYTES = 28 * 1024;
const TEAMS_WEB = 'https://teams.sandbox.example';

const sendSchema = z.object({
  body: z.object({ contentType: z.enum(['text', 'html']).optional(), content: z.string() }),
  subject: z.string().nullable().optional(),
  importance: z.enum(['normal', 'high', 'urgent']).optional(),
});

const notFound = (what: string): GraphError => new GraphError(404, 'NotFound', `${what} not found.`);
const forbidden = (): GraphError => new GraphError(403, 'Forbidden', 'Forbidden: the user is not a member of this team or channel.');

type Where = { chat: StoredChat } | { team: StoredTeam; channel: StoredChannel };

/** Newest first after the paging key (createdMs, id) of the previous page's last item. */
function pageOfMessages(c: SandboxContext, messages: readonly StoredTeamsMessage[], top: number): { items: StoredTeamsMessage[]; more: boolean } {
  const key = decodeSkipToken(c.req.query('$skiptoken'));
  const [ms, id] = [Number(key?.[0]), String(key?.[1] ?? '')];
  const isAfter = key === undefined ? undefined : (m: StoredTeamsMessage): boolean => m.createdMs < ms || (m.createdMs === ms && m.id < id);
  return pageAfter(messages, true, isAfter, undefined, top);
}

export function teamsRoutes(deps: RouteDeps): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();
  const worlds = new Map<string, TeamsWorld>();

  const worldOf = (user: SandboxUser): TeamsWorld => {
    let world = worlds.get(user.tenantId);
    if (!world) {
      world = seedTeamsWorld(deps.tenant.seed, user.tenantId, deps.tenant.users.filter((u) => u.tenantId === user.tenantId), deps.now());
      worlds.set(user.tenantId, world);
    }
    return world;
  };
  const nameOf = (userId: string): string => deps.tenant.users.find((u) => u.id === userId)?.displayName ?? 'Unknown user';
  const teamWeb = (teamId: string, channelId: string, messageId: string, tenantId: string): string =>
    `${TEAMS_WEB}/l/message/${encodeURIComponent(channelId)}/${messageId}?tenantId=${tenantId}&groupId=${teamId}`;

  const messageJson = (m: StoredTeamsMessage, where: Where, tenantId: string): Record<string, unknown> => ({
    id: m.id,
    replyToId: m.replyToId ?? null,
    etag: m.id,
    messageType: m.messageType,
    createdDateTime: new Date(m.createdMs).toISOString(),
    lastModifiedDateTime: new Date(m.deletedMs ?? m.createdMs).toISOString(),
    lastEditedDateTime: null,
    deletedDateTime: m.deletedMs === undefined ? null : new Date(m.deletedMs).toISOString(),
    subject: m.subject ?? null,
    summary: null,
    chatId: 'chat' in where ? where.chat.id : null,
    importance: m.importance,
    locale: 'en-us',
    webUrl: 'team' in where ? teamWeb(where.team.id, where.channel.id, m.replyToId ?? m.id, tenantId) : null,
    channelIdentity: 'team' in where ? { teamId: where.team.id, channelId: where.channel.id } : null,
    policyViolation: null,
    eventDetail: m.messageType === 'systemEventMessage' ? { '@odata.type': '#microsoft.graph.membersAddedEventMessageDetail', visibleHistoryStartDateTime: '0001-01-01T00:00:00Z' } : null,
    from:
      m.fromUserId === undefined || m.messageType !== 'message'
        ? null
        : { application: null, device: null, user: { '@odata.type': '#microsoft.graph.teamworkUserIdentity', id: m.fromUserId, displayName: nameOf(m.fromUserId), userIdentityType: 'aadUser', tenantId } },
    body: m.deletedMs === undefined ? { contentType: m.contentType, content: m.content } : { contentType: 'html', content: '' },
    attachments: (m.attachments ?? []).map((a, i) => ({ id: `att-${m.id}-${i}`, contentType: 'reference', contentUrl: a.contentUrl, content: null, name: a.name, thumbnailUrl: null, teamsAppId: null })),
    mentions: [],
    reactions: [],
  });

  const chatJson = (chat: StoredChat, expand: ReadonlySet<string>, tenantId: string): Record<string, unknown> => {
    const last = [...chat.messages].reverse().find((m) => m.messageType === 'message');
    const json: Record<string, unknown> = {
      id: chat.id,
      topic: chat.topic,
      createdDateTime: new Date(chat.createdMs).toISOString(),
      lastUpdatedDateTime: new Date(last?.createdMs ?? chat.createdMs).toISOString(),
      chatType: chat.chatType,
      webUrl: `${TEAMS_WEB}/l/chat/${encodeURIComponent(chat.id)}/0?tenantId=${tenantId}`,
      tenantId,
      onlineMeetingInfo: null,
      viewpoint: { isHidden: false, lastMessageReadDateTime: isoSeconds(chat.createdMs) },
    };
    if (expand.has('members')) {
      // Graph expands at most 25 members.
      json.members = chat.memberIds.slice(0, 25).map((id) => ({
        '@odata.type': '#microsoft.graph.aadUserConversationMember',
        id: `MCMj${Buffer.from(`${chat.id}#${id}`).toString('base64url').slice(0, 40)}`,
        roles: ['owner'],
        displayName: nameOf(id),
        visibleHistoryStartDateTime: '0001-01-01T00:00:00Z',
        userId: id,
        email: deps.tenant.users.find((u) => u.id === id)?.mail ?? null,
        tenantId,
      }));
    }
    if (expand.has('lastMessagePreview')) {
      json.lastMessagePreview = last
        ? {
            id: last.id,
            createdDateTime: new Date(last.createdMs).toISOString(),
            isDeleted: last.deletedMs !== undefined,
            messageType: last.messageType,
            eventDetail: null,
            body: { contentType: last.contentType, content: last.deletedMs === undefined ? last.content : '' },
            from: last.fromUserId === undefined ? null : { application: null, device: null, user: { '@odata.type': '#microsoft.graph.teamworkUserIdentity', id: last.fromUserId, displayName: nameOf(last.fromUserId), userIdentityType: 'aadUser', tenantId } },
          }
        : null;
    }
    return json;
  };

  const chatOf = (c: SandboxContext): StoredChat => {
    const user = c.get('user');
    const chat = worldOf(user).chats.find((x) => x.id === c.req.param('chatId'));
    if (!chat || !chat.memberIds.includes(user.id)) throw notFound('Chat');
    return chat;
  };
  const teamOf = (c: SandboxContext): StoredTeam => {
    const team = worldOf(c.get('user')).teams.find((t) => t.id === c.req.param('teamId'));
    if (!team) throw notFound('Team');
    if (!team.memberIds.includes(c.get('user').id)) throw forbidden();
    return team;
  };
  const channelOf = (c: SandboxContext, team: StoredTeam): StoredChannel => {
    const channel = team.channels.find((ch) => ch.id === c.req.param('channelId'));
    if (!channel) throw notFound('Channel');
    if (channel.memberIds && !channel.memberIds.includes(c.get('user').id)) throw forbidden();
    return channel;
  };
  const postOf = (c: SandboxContext, channel: StoredChannel): StoredTeamsMessage => {
    const post = channel.messages.find((m) => m.id === c.req.param('messageId'));
    if (!post) throw notFound('Message');
    return post;
  };

  const messagesPage = (c: SandboxContext, messages: readonly StoredTeamsMessage[], where: Where, context: string): Response => {
    const top = parseTop(c.req.query('$top'), 20, 50);
    const { items, more } = pageOfMessages(c, messages, top);
    const body: Record<string, unknown> = { '@odata.context': odataContext(c.req.url, context), '@odata.count': items.length, value: items.map((m) => messageJson(m, where, c.get('user').tenantId)) };
    const last = items[items.length - 1];
    if (more && last) body['@odata.nextLink'] = nextLink(c.req.url, encodeSkipToken([last.createdMs, last.id]));
    return c.json(body);
  };

  const send = async (c: SandboxContext, list: StoredTeamsMessage[], where: Where, replyToId?: string): Promise<Response> => {
    const { body, subject, importance } = await readJsonBody(c, sendSchema, GRAPH_BODY_ERRORS);
    if (body.content.trim() === '') throw badRequest('BadRequest', 'Message body cannot be empty.');
    if (Buffer.byteLength(body.content, 'utf8') > MAX_MESSAGE_BYTES) throw new GraphError(413, 'RequestEntityTooLarge', 'Message size exceeds the allowed limit.');
    const createdMs = nextMessageMs(deps.now(), list);
    const message: StoredTeamsMessage = {
      id: String(createdMs),
      createdMs,
      messageType: 'message',
      fromUserId: c.get('user').id,
      contentType: body.contentType ?? 'text',
      content: body.content,
      importance: importance ?? 'normal',
      ...(subject ? { subject } : {}),
      ...(replyToId === undefined ? {} : { replyToId }),
      ...('team' in where && replyToId === undefined ? { replies: [] } : {}),
    };
    list.push(message);
    return c.json({ '@odata.context': odataContext(c.req.url, '$entity'), ...messageJson(message, where, c.get('user').tenantId) }, 201);
  };

  app.get('/me/chats', (c) => {
    requireScope(c, 'graph', 'Chat.ReadBasic', 'Chat.Read');
    const user = c.get('user');
    const expand = new Set((c.req.query('$expand') ?? '').split(',').map((e) => e.trim()).filter(Boolean));
    for (const e of expand) if (e !== 'members' && e !== 'lastMessagePreview') throw badRequest('BadRequest', `Expand of '${e}' is not supported.`);
    const orderby = c.req.query('$orderby');
    if (orderby !== undefined && orderby !== 'lastMessagePreview/createdDateTime desc') throw badRequest('BadRequest', `Order by '${orderby.slice(0, 60)}' is not supported.`);
    const top = parseTop(c.req.query('$top'), 20, 50);
    const lastMs = (chat: StoredChat): number => chat.messages.filter((m) => m.messageType === 'message').at(-1)?.createdMs ?? chat.createdMs;
    // Recent activity first (Graph's default order is not specified; the gateway always asks for this one).
    const mine = worldOf(user)
      .chats.filter((chat) => chat.memberIds.includes(user.id))
      .map((chat) => ({ chat, ms: lastMs(chat) }))
      .sort((a, b) => b.ms - a.ms || (a.chat.id < b.chat.id ? -1 : 1));
    const key = decodeSkipToken(c.req.query('$skiptoken'));
    const isAfter = key === undefined ? undefined : (x: { chat: StoredChat; ms: number }): boolean => x.ms < Number(key[0]) || (x.ms === Number(key[0]) && x.chat.id > String(key[1]));
    const { items, more } = pageAfter(mine, false, isAfter, undefined, top);
    const body: Record<string, unknown> = {
      '@odata.context': odataContext(c.req.url, `users('${user.id}')/chats`),
      '@odata.count': items.length,
      value: items.map(({ chat }) => chatJson(chat, expand, user.tenantId)),
    };
    const last = items[items.length - 1];
    if (more && last) body['@odata.nextLink'] = nextLink(c.req.url, encodeSkipToken([last.ms, last.chat.id]));
    return c.json(body);
  });

  for (const prefix of ['/chats', '/me/chats']) {
    app.get(`${prefix}/:chatId/messages`, (c) => {
      requireScope(c, 'graph', 'Chat.Read');
      const chat = chatOf(c);
      const orderby = c.req.query('$orderby');
      if (orderby !== undefined && orderby !== 'createdDateTime desc' && orderby !== 'lastModifiedDateTime desc') throw badRequest('BadRequest', `Order by '${orderby.slice(0, 60)}' is not supported.`);
      return messagesPage(c, chat.messages, { chat }, `chats('${chat.id}')/messages`);
    });
    app.post(`${prefix}/:chatId/messages`, (c) => {
      requireScope(c, 'graph', 'ChatMessage.Send', 'Chat.ReadWrite');
      const chat = chatOf(c);
      return send(c, chat.messages, { chat });
    });
  }

  app.get('/me/joinedTeams', (c) => {
    requireScope(c, 'graph', 'Team.ReadBasic.All');
    const user = c.get('user');
    const value = worldOf(user)
      .teams.filter((t) => t.memberIds.includes(user.id))
      .map((t) => ({ id: t.id, createdDateTime: null, displayName: t.displayName, description: t.description, internalId: null, classification: null, specialization: null, visibility: null, webUrl: null, isArchived: false, tenantId: user.tenantId, isMembershipLimitedToOwners: null, memberSettings: null, guestSettings: null, messagingSettings: null, funSettings: null, discoverySettings: null, summary: null }));
    return c.json({ '@odata.context': odataContext(c.req.url, 'teams'), '@odata.count': value.length, value });
  });

  app.get('/teams/:teamId/channels', (c) => {
    requireScope(c, 'graph', 'Channel.ReadBasic.All');
    const team = teamOf(c);
    const user = c.get('user');
    // Members don't see private channels they are not in.
    const value = team.channels
      .filter((ch) => !ch.memberIds || ch.memberIds.includes(user.id))
      .map((ch) => ({ id: ch.id, displayName: ch.displayName, description: ch.description, membershipType: ch.membershipType, email: '', webUrl: `${TEAMS_WEB}/l/channel/${encodeURIComponent(ch.id)}/${encodeURIComponent(ch.displayName)}?groupId=${team.id}`, createdDateTime: null, isFavoriteByDefault: null, tenantId: user.tenantId }));
    const select = c.req.query('$select')?.split(',').map((s) => s.trim());
    const shaped = select ? value.map((ch) => Object.fromEntries(Object.entries(ch).filter(([k]) => k === 'id' || select.includes(k)))) : value;
    return c.json({ '@odata.context': odataContext(c.req.url, `teams('${team.id}')/channels`), '@odata.count': shaped.length, value: shaped });
  });

  app.get('/teams/:teamId/channels/:channelId/messages', (c) => {
    requireScope(c, 'graph', 'ChannelMessage.Read.All');
    const team = teamOf(c);
    const channel = channelOf(c, team);
    return messagesPage(c, channel.messages, { team, channel }, `teams('${team.id}')/channels('${channel.id}')/messages`);
  });
  app.post('/teams/:teamId/channels/:channelId/messages', (c) => {
    requireScope(c, 'graph', 'ChannelMessage.Send');
    const team = teamOf(c);
    const channel = channelOf(c, team);
    return send(c, channel.messages, { team, channel });
  });
  app.get('/teams/:teamId/channels/:channelId/messages/:messageId/replies', (c) => {
    requireScope(c, 'graph', 'ChannelMessage.Read.All');
    const team = teamOf(c);
    const channel = channelOf(c, team);
    const post = postOf(c, channel);
    return messagesPage(c, post.replies ?? [], { team, channel }, `teams('${team.id}')/channels('${channel.id}')/messages('${post.id}')/replies`);
  });
  app.post('/teams/:teamId/channels/:channelId/messages/:messageId/replies', (c) => {
    requireScope(c, 'graph', 'ChannelMessage.Send');
    const team = teamOf(c);
    const channel = channelOf(c, team);
    const post = postOf(c, channel);
    post.replies ??= [];
    return send(c, post.replies, { team, channel }, post.id);
  });

  return app;
}
