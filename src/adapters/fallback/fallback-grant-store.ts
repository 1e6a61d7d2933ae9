import type {
  AccessTokenRecord,
  AuthorizationCodeRecord,
  Grant,
  GrantStore,
  PendingAuthorization,
  RefreshTokenRecord,
  RefreshTokenUse,
} from '../../ports/grant-store.js';
import type { Logger } from '../../ports/logger.js';
import { RedisOutage } from './redis-outage.js';

/**
 * OAuth grants in DynamoDB (durable, the record of truth) with Redis caching the one lookup every
 * MCP request makes: the bearer token's access-token record.
 * - Everything but that lookup goes to DynamoDB only: authorize, consent, codes, grants and refresh
 *   rotation are rare, and their single-use decisions must have one arbiter.
 * - putAccessToken writes DynamoDB (must succeed), then Redis (best effort).
 * - getAccessToken reads Redis; a miss or a Redis outage reads DynamoDB (which also checks the
 *   grant), and a DynamoDB hit warms Redis again.
 * - revokeGrant and deleteAccessToken write DynamoDB first, then remove the Redis copies.
 * Redis keeps a record at most `ttlCapMs` (set on the Redis store): that bounds how long a copy a
 * revocation could not remove (Redis unreachable from the revoking process only, or a read racing
 * the revocation) still answers. See docs/storage.md.
 */
export class FallbackGrantStore implements GrantStore {
  private readonly outage: RedisOutage;

  constructor(
    private readonly redis: GrantStore,
    private readonly durable: GrantStore,
    logger?: Logger,
  ) {
    this.outage = new RedisOutage('grants', logger);
  }

  putPending(id: string, pending: PendingAuthorization): Promise<void> {
    return this.durable.putPending(id, pending);
  }

  getPending(id: string): Promise<PendingAuthorization | null> {
    return this.durable.getPending(id);
  }

  updatePending(id: string, pending: PendingAuthorization): Promise<boolean> {
    return this.durable.updatePending(id, pending);
  }

  takePending(id: string): Promise<PendingAuthorization | null> {
    return this.durable.takePending(id);
  }

  putCode(codeHash: string, record: AuthorizationCodeRecord): Promise<void> {
    return this.durable.putCode(codeHash, record);
  }

  takeCode(codeHash: string): Promise<AuthorizationCodeRecord | null> {
    return this.durable.takeCode(codeHash);
  }

  putGrant(grant: Grant): Promise<void> {
    return this.durable.putGrant(grant);
  }

  getGrant(id: string): Promise<Grant | null> {
    return this.durable.getGrant(id);
  }

  async revokeGrant(id: string): Promise<void> {
    await this.durable.revokeGrant(id);
    await this.outage.attempt(() => this.redis.revokeGrant(id));
  }

  grantIdsForUser(tenantId: string, objectId: string): Promise<string[]> {
    return this.durable.grantIdsForUser(tenantId, objectId);
  }

  grantIdsForTenant(tenantId: string): Promise<string[]> {
    return this.durable.grantIdsForTenant(tenantId);
  }

  async putAccessToken(tokenHash: string, record: AccessTokenRecord): Promise<void> {
    await this.durable.putAccessToken(tokenHash, record);
    await this.outage.attempt(() => this.redis.putAccessToken(tokenHash, record));
  }

  async getAccessToken(tokenHash: string): Promise<AccessTokenRecord | null> {
    const cached = await this.outage.attempt(() => this.redis.getAccessToken(tokenHash));
    if (cached?.value) return cached.value;
    const record = await this.durable.getAccessToken(tokenHash);
    if (record !== null && cached !== undefined) await this.outage.attempt(() => this.redis.putAccessToken(tokenHash, record));
    return record;
  }

  async deleteAccessToken(tokenHash: string): Promise<void> {
    await this.durable.deleteAccessToken(tokenHash);
    await this.outage.attempt(() => this.redis.deleteAccessToken(tokenHash));
  }

  putRefreshToken(tokenHash: string, record: RefreshTokenRecord): Promise<void> {
    return this.durable.putRefreshToken(tokenHash, record);
  }

  useRefreshToken(tokenHash: string): Promise<RefreshTokenUse | null> {
    return this.durable.useRefreshToken(tokenHash);
  }
}
