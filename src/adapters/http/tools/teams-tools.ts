import { z } from 'zod';
import { TEAMS_MESSAGE_MAX_BYTES } from '../../../domain/teams.js';
import { LIST_CHATS_LIMITS, type ListChats } from '../../../domain/use-cases/list-chats.js';
import { LIST_TEAMS_CHANNELS_LIMITS, type ListTeamsChannels } from '../../../domain/use-cases/list-teams-channels.js';
import { LIST_TEAMS_MESSAGES_LIMITS, type ListTeamsMessages } from '../../../domain/use-cases/list-teams-messages.js';
import type { SendTeamsMessage } from '../../../domain/use-cases/send-teams-message.js';
import { CREATES, READ_ONLY, defineTool, type ToolDefinition } from './tool-definition.js';
import { cursorInput, idempotencyKeyInput, nextCursor, pageSizeInput } from './schemas.js';

export interface TeamsToolDeps {
  listChats: ListChats;
  listTeamsChannels: ListTeamsChannels;
  listTeamsMessages: ListTeamsMessages;
  sendTeamsMessage: SendTeamsMessage;
}

const id = z.string().min(1).max(512);
/** Where to read or write: a chat, or a channel (optionally one post's thread). */
const conversation = {
  chatId: id.optional().describe('From teams_list_chats. Or give teamId and channelId.'),
  teamId: id.optional(),
  channelId: id.optional().describe('With teamId; both from teams_list_channels.'),
  postId: id.optional(),
};

export function teamsTools(deps: TeamsToolDeps): ToolDefinition[] {
  return [
    defineTool({
      name: 'teams_list_chats',
      family: 'teams',
      title: 'List Teams chats',
      description: 'Your Teams chats, latest activity first, with other members and a last-message preview. Read one with teams_list_messages.',
      input: z.object({ pageSize: pageSizeInput(LIST_CHATS_LIMITS.maxPageSize, LIST_CHATS_LIMITS.defaultPageSize), cursor: cursorInput }),
      output: z.object({
        chats: z.array(
          z.object({
            id: z.string(),
            type: z.enum(['oneOnOne', 'group', 'meeting']),
            topic: z.string().optional(),
            members: z.array(z.string()),
            lastMessage: z.object({ from: z.string().optional(), text: z.string(), at: z.string() }).optional(),
            webUrl: z.string().optional(),
          }),
        ),
        nextCursor,
      }),
      annotations: READ_ONLY,
      run: async ({ caller }, input) => {
        const page = await deps.listChats.execute(caller, input);
        return { chats: page.items, nextCursor: page.nextCursor };
      },
    }),
    defineTool({
      name: 'teams_list_channels',
      family: 'teams',
      title: 'List teams and channels',
      description: `Teams you belong to with their channels (channels for the first ${LIST_TEAMS_CHANNELS_LIMITS.maxTeamsWithChannels} teams; teamId for one team).`,
      input: z.object({ teamId: id.optional() }),
      output: z.object({
        teams: z.array(
          z.object({
            id: z.string(),
            name: z.string(),
            description: z.string().optional(),
            channels: z.array(z.object({ id: z.string(), name: z.string(), description: z.string().optional(), type: z.enum(['standard', 'private', 'shared']) })).optional(),
          }),
        ),
      }),
      annotations: READ_ONLY,
      run: async ({ caller }, input) => ({ teams: await deps.listTeamsChannels.execute(caller, input) }),
    }),
    defineTool({
      name: 'teams_list_messages',
      family: 'teams',
      title: 'Read Teams messages',
      description: 'Messages of a chat or channel, newest first, as plain text; channels list posts only: pass postId for a post\'s replies.',
      input: z.object({
        ...conversation,
        pageSize: pageSizeInput(LIST_TEAMS_MESSAGES_LIMITS.maxPageSize, LIST_TEAMS_MESSAGES_LIMITS.defaultPageSize),
        cursor: cursorInput,
      }),
      output: z.object({
        messages: z.array(
          z.object({
            id: z.string(),
            from: z.string().optional(),
            createdAt: z.string(),
            body: z.string(),
            subject: z.string().optional(),
            importance: z.enum(['normal', 'high', 'urgent']).optional(),
            replyToId: z.string().optional(),
            attachments: z.array(z.object({ name: z.string(), url: z.string().optional() })).optional(),
            webUrl: z.string().optional(),
          }),
        ),
        nextCursor,
      }),
      annotations: READ_ONLY,
      run: async ({ caller }, input) => {
        const page = await deps.listTeamsMessages.execute(caller, input);
        return { messages: page.items, nextCursor: page.nextCursor };
      },
    }),
    defineTool({
      name: 'teams_send_message',
      family: 'teams',
      title: 'Send a Teams message',
      description: `Post as the user to a chat or channel, or reply to a channel post (postId). Up to ${TEAMS_MESSAGE_MAX_BYTES / 1024} KB. Cannot be undone; pass idempotency_key.`,
      input: z.object({
        ...conversation,
        body: z.string().min(1).max(TEAMS_MESSAGE_MAX_BYTES),
        bodyType: z.enum(['text', 'html']).optional().describe('Default text.'),
        idempotency_key: idempotencyKeyInput,
      }),
      output: z.object({ id: z.string(), createdAt: z.string(), webUrl: z.string().optional() }),
      annotations: CREATES,
      run: ({ caller }, { idempotency_key: _key, ...input }) => deps.sendTeamsMessage.execute(caller, input),
    }),
  ];
}
