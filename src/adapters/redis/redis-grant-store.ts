import type { z } from 'zod';
import type { Clock } from '../../ports/clock.js';
import type {
  AccessTokenRecord,
  AuthorizationCodeRecord,
  Grant,
  GrantStore,
  PendingAuthorization,
  RefreshTokenRecord,
  RefreshTokenUse,
} from '../../ports/grant-store.js';
import {
  accessTokenRecordSchema,
  authorizationCodeSchema,
  grantSchema,
  parseJsonRecord,
  pendingAuthorizationSchema,
  refreshTokenRecordSchema,
} from '../shared/stored-records.js';
import type { GuardedRedis } from './guarded-redis.js';
import type { RedisClient } from './redis-client.js';

export interface RedisGrantStoreOptions {
  /** Key prefix after the client's own (default `mcp:oauth:`). */
  prefix?: string;
  /**
   * Upper bound on how long Redis keeps any record. Set when this store is a cache in front of
   * DynamoDB (FallbackGrantStore): it bounds how long a copy missed by a revocation can live.
   */
  ttlCapMs?: number;
}

/**
 * GrantStore on Redis, shared by all replicas. Keys are the SHA-256 hashes the caller passes;
 * values JSON with a TTL of the record's expiry (plus a margin; expiry is judged by our Clock on
 * read). One-shot reads use GETDEL; a refresh token's first use is decided by SET NX on a
 * companion key. Each grant keeps a set of its token keys so revocation removes them all.
 * Commands run behind the breaker (`GuardedRedis`), so an outage fails fast as `redis.unavailable`.
 * Several commands span keys (MULTI, MGET): single-node Redis only.
 */
export class RedisGrantStore implements GrantStore {
  private readonly prefix: string;
  private readonly ttlCapMs: number;

  constructor(
    private readonly redis: GuardedRedis,
    private readonly clock: Clock,
    options: RedisGrantStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? 'mcp:oauth:';
    this.ttlCapMs = options.ttlCapMs ?? Number.POSITIVE_INFINITY;
  }

  private run<T>(operation: string, call: (client: RedisClient) => Promise<T>): Promise<T> {
    return this.redis.run(`grant ${operation}`, call);
  }

  private key(kind: string, id: string): string {
    return `${this.prefix}${kind}:${id}`;
  }

  /** TTL for Redis, at least 1 s and at most the cap; the authoritative expiry check is ours, on read. */
  private ttl(expiresAt: number): number {
    return Math.min(this.ttlCapMs, Math.max(1000, expiresAt - this.clock.now() + 60_000));
  }

  private async setJson(c: RedisClient, key: string, value: { expiresAt: number }, mode?: 'XX'): Promise<boolean> {
    const result = mode === 'XX' ? await c.set(key, JSON.stringify(value), 'PX', this.ttl(value.expiresAt), 'XX') : await c.set(key, JSON.stringify(value), 'PX', this.ttl(value.expiresAt));
    return result === 'OK';
  }

  /** Malformed values read as absent (stored-records.ts), expired ones too. */
  private live<T extends { expiresAt: number }>(schema: z.ZodType<T>, raw: string | null): T | null {
    const value = parseJsonRecord(schema, raw);
    return value !== null && value.expiresAt > this.clock.now() ? value : null;
  }

  /** Stores a record that hangs off a grant and adds its key to the grant's set (for revocation). */
  private async putTracked(operation: string, key: string, record: { grantId: string; expiresAt: number }): Promise<void> {
    const set = this.key('grant-keys', record.grantId);
    const ttl = this.ttl(record.expiresAt);
    await this.run(operation, async (c) => {
      await this.setJson(c, key, record);
      await c.multi().sadd(set, key).pexpire(set, ttl, 'GT').pexpire(set, ttl, 'NX').exec();
    });
  }

  async putPending(id: string, pending: PendingAuthorization): Promise<void> {
    await this.run('pending put', (c) => this.setJson(c, this.key('pending', id), pending));
  }

  async getPending(id: string): Promise<PendingAuthorization | null> {
    return this.live(pendingAuthorizationSchema, await this.run('pending get', (c) => c.get(this.key('pending', id))));
  }

  async updatePending(id: string, pending: PendingAuthorization): Promise<boolean> {
    if ((await this.getPending(id)) === null) return false;
    return this.run('pending update', (c) => this.setJson(c, this.key('pending', id), pending, 'XX'));
  }

  async takePending(id: string): Promise<PendingAuthorization | null> {
    return this.live(pendingAuthorizationSchema, await this.run('pending take', (c) => c.getdel(this.key('pending', id))));
  }

  async putCode(codeHash: string, record: AuthorizationCodeRecord): Promise<void> {
    await this.putTracked('code put', this.key('code', codeHash), record);
  }

  async takeCode(codeHash: string): Promise<AuthorizationCodeRecord | null> {
    return this.live(authorizationCodeSchema, await this.run('code take', (c) => c.getdel(this.key('code', codeHash))));
  }

  async putGrant(grant: Grant): Promise<void> {
    const ttl = this.ttl(grant.expiresAt);
    const user = this.key('user-grants', `${grant.tenantId}:${grant.objectId}`);
    const tenant = this.key('tenant-grants', grant.tenantId);
    await this.run('put', (c) => c
      .multi()
      .set(this.key('grant', grant.id), JSON.stringify(grant), 'PX', ttl)
      .sadd(user, grant.id)
      .pexpire(user, ttl, 'GT')
      .pexpire(user, ttl, 'NX')
      .sadd(tenant, grant.id)
      .pexpire(tenant, ttl, 'GT')
      .pexpire(tenant, ttl, 'NX')
      .exec());
  }

  async getGrant(id: string): Promise<Grant | null> {
    return this.live(grantSchema, await this.run('get', (c) => c.get(this.key('grant', id))));
  }

  async revokeGrant(id: string): Promise<void> {
    const grant = await this.getGrant(id);
    const set = this.key('grant-keys', id);
    await this.run('revoke', async (c) => {
      const keys = await c.smembers(set);
      const used = keys.filter((k) => k.startsWith(this.key('refresh', ''))).map((k) => k.replace(`${this.prefix}refresh:`, `${this.prefix}refresh-used:`));
      const tx = c.multi().del(this.key('grant', id), set, ...keys, ...used);
      if (grant !== null) {
        tx.srem(this.key('user-grants', `${grant.tenantId}:${grant.objectId}`), id).srem(this.key('tenant-grants', grant.tenantId), id);
      }
      await tx.exec();
    });
  }

  private async liveGrantIds(setKey: string, predicate: (g: Grant) => boolean): Promise<string[]> {
    const ids = await this.run('list', (c) => c.smembers(setKey));
    if (ids.length === 0) return [];
    const raws = await this.run('list', (c) => c.mget(...ids.map((id) => this.key('grant', id))));
    const live: string[] = [];
    raws.forEach((raw, i) => {
      const grant = this.live(grantSchema, raw);
      if (grant !== null && predicate(grant)) live.push(ids[i]!);
    });
    return live;
  }

  grantIdsForUser(tenantId: string, objectId: string): Promise<string[]> {
    return this.liveGrantIds(this.key('user-grants', `${tenantId}:${objectId}`), (g) => g.tenantId === tenantId && g.objectId === objectId);
  }

  grantIdsForTenant(tenantId: string): Promise<string[]> {
    return this.liveGrantIds(this.key('tenant-grants', tenantId), (g) => g.tenantId === tenantId);
  }

  async putAccessToken(tokenHash: string, record: AccessTokenRecord): Promise<void> {
    await this.putTracked('access put', this.key('access', tokenHash), record);
  }

  async getAccessToken(tokenHash: string): Promise<AccessTokenRecord | null> {
    return this.live(accessTokenRecordSchema, await this.run('access get', (c) => c.get(this.key('access', tokenHash))));
  }

  async deleteAccessToken(tokenHash: string): Promise<void> {
    await this.run('access delete', (c) => c.del(this.key('access', tokenHash)));
  }

  async putRefreshToken(tokenHash: string, record: RefreshTokenRecord): Promise<void> {
    await this.putTracked('refresh put', this.key('refresh', tokenHash), record);
  }

  async useRefreshToken(tokenHash: string): Promise<RefreshTokenUse | null> {
    const record = this.live(refreshTokenRecordSchema, await this.run('refresh get', (c) => c.get(this.key('refresh', tokenHash))));
    if (record === null) return null;
    // Exactly one caller wins the NX; every other (concurrent or later) use is a reuse.
    const first = await this.run('refresh use', (c) => c.set(this.key('refresh-used', tokenHash), '1', 'PX', this.ttl(record.expiresAt), 'NX'));
    return { status: first === 'OK' ? 'fresh' : 'reused', record };
  }
}
