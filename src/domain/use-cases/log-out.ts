import type { Identity } from '../identity.js';
import { purgeUserAccess } from '../user-access.js';
import type { PurgeResult, UserAccessStores } from '../user-access.js';
import type { AuditLog } from '../../ports/audit-log.js';
import type { GrantStore } from '../../ports/grant-store.js';
import type { GraphTokenCache } from '../../ports/graph-token-cache.js';
import type { SessionStore } from '../../ports/session-store.js';
import type { TokenStore } from '../../ports/token-store.js';

export interface LogOutInput {
  caller: Identity;
}

export type LogOutResult = PurgeResult;

/**
 * `auth_logout`: revokes all of the user's grants and tokens (every client: the Microsoft sign-in
 * they share is deleted too), their MCP sessions and every cached copy of their Microsoft tokens.
 */
export class LogOut {
  private readonly stores: UserAccessStores;

  constructor(grants: GrantStore, sessions: SessionStore, tokens: TokenStore, graphTokenCache: GraphTokenCache, private readonly audit: AuditLog) {
    this.stores = { grants, sessions, tokens, graphTokenCache };
  }

  async execute(input: LogOutInput): Promise<LogOutResult> {
    const { caller } = input;
    const result = await purgeUserAccess(this.stores, caller.tenantId, caller.objectId);
    this.audit.record({ action: 'logout', outcome: 'success', tenantId: caller.tenantId, actor: caller.objectId, clientId: caller.clientId });
    return result;
  }
}
