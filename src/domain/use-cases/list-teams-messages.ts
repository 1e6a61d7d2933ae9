import type { Identity } from '../identity.js';
import { clampPageSize, validateCursor } from '../paging.js';
import type { Page, PageRequest } from '../paging.js';
import type { TeamsMessage } from '../teams.js';
import { conversationOf, type ConversationInput } from '../teams-conversation.js';
import type { TeamsGateway } from '../../ports/teams-gateway.js';

/** Graph returns at most 50 chat or channel messages per request. */
export const LIST_TEAMS_MESSAGES_LIMITS = { defaultPageSize: 20, maxPageSize: 50 } as const;

/** Messages of a chat, of a channel (top-level posts) or of one post's reply thread, newest first. */
export class ListTeamsMessages {
  constructor(private readonly teams: TeamsGateway) {}

  execute(caller: Identity, input: ConversationInput & PageRequest): Promise<Page<TeamsMessage>> {
    const where = conversationOf(input);
    const pageSize = clampPageSize(input.pageSize, LIST_TEAMS_MESSAGES_LIMITS.defaultPageSize, LIST_TEAMS_MESSAGES_LIMITS.maxPageSize);
    return this.teams.listMessages(caller, where, pageSize, validateCursor(input.cursor));
  }
}
