import { invalidInput } from '../errors.js';
import { purgeUserAccess } from '../user-access.js';
import type { UserAccessStores } from '../user-access.js';
import type { AuditLog } from '../../ports/audit-log.js';
import type { GrantStore } from '../../ports/grant-store.js';
import type { GraphTokenCache } from '../../ports/graph-token-cache.js';
import type { SessionStore } from '../../ports/session-store.js';
import type { TokenStore } from '../../ports/token-store.js';

export interface RevokeUserAccessInput {
  tenantId: string;
  /** One user; omit to revoke the whole tenant. */
  objectId?: string;
  /** Who asked (operator name), for the audit log. */
  operator: string;
}

export interface RevokeUserAccessResult {
  usersRevoked: number;
  grantsRevoked: number;
  sessionsDeleted: number;
  microsoftTokensDeleted: number;
}

const ID = /^[A-Za-z0-9-]{1,64}$/;

/** Operator revocation for incident response (`npm run admin -- revoke --tenant T [--user U]`). */
export class RevokeUserAccess {
  private readonly stores: UserAccessStores;

  constructor(grants: GrantStore, sessions: SessionStore, tokens: TokenStore, graphTokenCache: GraphTokenCache, private readonly audit: AuditLog) {
    this.stores = { grants, sessions, tokens, graphTokenCache };
  }

  async execute(input: RevokeUserAccessInput): Promise<RevokeUserAccessResult> {
    if (!ID.test(input.tenantId)) throw invalidInput('admin.badTenant', 'Tenant id must be a GUID-like identifier.');
    if (input.objectId !== undefined && !ID.test(input.objectId)) throw invalidInput('admin.badUser', 'User object id must be a GUID-like identifier.');
    const users = input.objectId !== undefined ? [input.objectId] : await this.usersOfTenant(input.tenantId);
    const total: RevokeUserAccessResult = { usersRevoked: 0, grantsRevoked: 0, sessionsDeleted: 0, microsoftTokensDeleted: 0 };
    for (const objectId of users) {
      const result = await purgeUserAccess(this.stores, input.tenantId, objectId);
      total.usersRevoked += 1;
      total.grantsRevoked += result.grantsRevoked;
      total.sessionsDeleted += result.sessionsDeleted;
      total.microsoftTokensDeleted += result.microsoftTokensDeleted ? 1 : 0;
      this.audit.record({ action: 'operator.revoke', outcome: 'success', tenantId: input.tenantId, actor: input.operator, reason: `user:${objectId}` });
    }
    if (users.length === 0) this.audit.record({ action: 'operator.revoke', outcome: 'success', tenantId: input.tenantId, actor: input.operator, reason: 'no_users' });
    return total;
  }

  private async usersOfTenant(tenantId: string): Promise<string[]> {
    const users = new Set(await this.stores.tokens.listUsers(tenantId));
    for (const id of await this.stores.grants.grantIdsForTenant(tenantId)) {
      const grant = await this.stores.grants.getGrant(id);
      if (grant !== null) users.add(grant.objectId);
    }
    return [...users];
  }
}
