import type { Identity } from '../identity.js';
import { clampPageSize, validateCursor } from '../paging.js';
import type { Page, PageRequest } from '../paging.js';
import type { TeamsChat } from '../teams.js';
import type { TeamsGateway } from '../../ports/teams-gateway.js';

/** Graph returns at most 50 chats per request. */
export const LIST_CHATS_LIMITS = { defaultPageSize: 20, maxPageSize: 50 } as const;

/** The user's Teams chats, most recent activity first. */
export class ListChats {
  constructor(private readonly teams: TeamsGateway) {}

  execute(caller: Identity, input: PageRequest): Promise<Page<TeamsChat>> {
    const pageSize = clampPageSize(input.pageSize, LIST_CHATS_LIMITS.defaultPageSize, LIST_CHATS_LIMITS.maxPageSize);
    return this.teams.listChats(caller, pageSize, validateCursor(input.cursor));
  }
}
