import type { GrantStore } from '../ports/grant-store.js';
import type { GraphTokenCache } from '../ports/graph-token-cache.js';
import type { SessionStore } from '../ports/session-store.js';
import type { TokenStore } from '../ports/token-store.js';

/** Every store that holds something of a signed-in user. */
export interface UserAccessStores {
  grants: GrantStore;
  sessions: SessionStore;
  tokens: TokenStore;
  graphTokenCache: GraphTokenCache;
}

export interface PurgeResult {
  grantsRevoked: number;
  sessionsDeleted: number;
  microsoftTokensDeleted: boolean;
}

/**
 * Removes all access of one user: our grants (with their access and refresh tokens), MCP sessions,
 * the sealed Microsoft token cache and this process's hot copy of it.
 */
export async function purgeUserAccess(stores: UserAccessStores, tenantId: string, objectId: string): Promise<PurgeResult> {
  const grantIds = await stores.grants.grantIdsForUser(tenantId, objectId);
  for (const id of grantIds) await stores.grants.revokeGrant(id);
  const sessionsDeleted = await stores.sessions.deleteForUser(tenantId, objectId);
  const stored = await stores.tokens.get(tenantId, objectId);
  await stores.tokens.delete(tenantId, objectId);
  stores.graphTokenCache.evict(tenantId, objectId);
  return { grantsRevoked: grantIds.length, sessionsDeleted, microsoftTokensDeleted: stored !== null };
}
