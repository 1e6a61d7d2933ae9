import type { Redis } from 'ioredis';
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

/**
 * GrantStore on Redis, shared by all replicas. Keys are the SHA-256 hashes the caller passes;
 * values JSON with a TTL of the record's expiry (plus a margin; expiry is judged by our Clock on
 * read). One-shot reads use GETDEL; a refresh token's first use is decided by SET NX on a
 * companion key. Each grant keeps a set of its token keys so revocation removes them all.
 */
export class RedisGrantStore implements GrantStore {
  constructor(
    private readonly redis: Redis,
    private readonly clock: Clock,
    private readonly prefix = 'mcp:oauth:',
  ) {}

  private key(kind: string, id: string): string {
    return `${this.prefix}${kind}:${id}`;
  }

  /** TTL for Redis, at least 1 s; the authoritative expiry check is ours, on read. */
  private ttl(expiresAt: number): number {
    return Math.max(1000, expiresAt - this.clock.now() + 60_000);
  }

  private async setJson(key: string, value: { expiresAt: number }, mode?: 'XX'): Promise<boolean> {
    const result = mode === 'XX' ? await this.redis.set(key, JSON.stringify(value), 'PX', this.ttl(value.expiresAt), 'XX') : await this.redis.set(key, JSON.stringify(value), 'PX', this.ttl(value.expiresAt));
    return result === 'OK';
  }

  private live<T extends { expiresAt: number }>(raw: string | null): T | null {
    if (raw === null) return null;
    const value = JSON.parse(raw) as T;
    return value.expiresAt > this.clock.now() ? value : null;
  }

  private async track(grantId: string, key: string, expiresAt: number): Promise<void> {
    const set = this.key('grant-keys', grantId);
    await this.redis.multi().sadd(set, key).pexpire(set, this.ttl(expiresAt), 'GT').pexpire(set, this.ttl(expiresAt), 'NX').exec();
  }

  async putPending(id: string, pending: PendingAuthorization): Promise<void> {
    await this.setJson(this.key('pending', id), pending);
  }

  async getPending(id: string): Promise<PendingAuthorization | null> {
    return this.live(await this.redis.get(this.key('pending', id)));
  }

  async updatePending(id: string, pending: PendingAuthorization): Promise<boolean> {
    if ((await this.getPending(id)) === null) return false;
    return this.setJson(this.key('pending', id), pending, 'XX');
  }

  async takePending(id: string): Promise<PendingAuthorization | null> {
    return this.live(await this.redis.getdel(this.key('pending', id)));
  }

  async putCode(codeHash: string, record: AuthorizationCodeRecord): Promise<void> {
    const key = this.key('code', codeHash);
    await this.setJson(key, record);
    await this.track(record.grantId, key, record.expiresAt);
  }

  async takeCode(codeHash: string): Promise<AuthorizationCodeRecord | null> {
    return this.live(await this.redis.getdel(this.key('code', codeHash)));
  }

  async putGrant(grant: Grant): Promise<void> {
    const ttl = this.ttl(grant.expiresAt);
    const user = this.key('user-grants', `${grant.tenantId}:${grant.objectId}`);
    const tenant = this.key('tenant-grants', grant.tenantId);
    await this.redis
      .multi()
      .set(this.key('grant', grant.id), JSON.stringify(grant), 'PX', ttl)
      .sadd(user, grant.id)
      .pexpire(user, ttl, 'GT')
      .pexpire(user, ttl, 'NX')
      .sadd(tenant, grant.id)
      .pexpire(tenant, ttl, 'GT')
      .pexpire(tenant, ttl, 'NX')
      .exec();
  }

  async getGrant(id: string): Promise<Grant | null> {
    return this.live(await this.redis.get(this.key('grant', id)));
  }

  async revokeGrant(id: string): Promise<void> {
    const grant = await this.getGrant(id);
    const set = this.key('grant-keys', id);
    const keys = await this.redis.smembers(set);
    const used = keys.filter((k) => k.startsWith(this.key('refresh', ''))).map((k) => k.replace(`${this.prefix}refresh:`, `${this.prefix}refresh-used:`));
    const tx = this.redis.multi().del(this.key('grant', id), set, ...keys, ...used);
    if (grant !== null) {
      tx.srem(this.key('user-grants', `${grant.tenantId}:${grant.objectId}`), id).srem(this.key('tenant-grants', grant.tenantId), id);
    }
    await tx.exec();
  }

  private async liveGrantIds(setKey: string, predicate: (g: Grant) => boolean): Promise<string[]> {
    const ids = await this.redis.smembers(setKey);
    if (ids.length === 0) return [];
    const raws = await this.redis.mget(...ids.map((id) => this.key('grant', id)));
    const live: string[] = [];
    raws.forEach((raw, i) => {
      const grant = this.live<Grant>(raw);
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
    const key = this.key('access', tokenHash);
    await this.setJson(key, record);
    await this.track(record.grantId, key, record.expiresAt);
  }

  async getAccessToken(tokenHash: string): Promise<AccessTokenRecord | null> {
    return this.live(await this.redis.get(this.key('access', tokenHash)));
  }

  async deleteAccessToken(tokenHash: string): Promise<void> {
    await this.redis.del(this.key('access', tokenHash));
  }

  async putRefreshToken(tokenHash: string, record: RefreshTokenRecord): Promise<void> {
    const key = this.key('refresh', tokenHash);
    await this.setJson(key, record);
    await this.track(record.grantId, key, record.expiresAt);
  }

  async useRefreshToken(tokenHash: string): Promise<RefreshTokenUse | null> {
    const record = this.live<RefreshTokenRecord>(await this.redis.get(this.key('refresh', tokenHash)));
    if (record === null) return null;
    // Exactly one caller wins the NX; every other (concurrent or later) use is a reuse.
    const first = await this.redis.set(this.key('refresh-used', tokenHash), '1', 'PX', this.ttl(record.expiresAt), 'NX');
    return { status: first === 'OK' ? 'fresh' : 'reused', record };
  }
}
