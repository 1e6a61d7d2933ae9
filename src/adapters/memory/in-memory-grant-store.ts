import type {
  AccessTokenRecord,
  AuthorizationCodeRecord,
  Grant,
  GrantStore,
  PendingAuthorization,
  RefreshTokenRecord,
  RefreshTokenUse,
} from '../../ports/grant-store.js';
import type { Clock } from '../../ports/clock.js';

interface RefreshEntry {
  record: RefreshTokenRecord;
  used: boolean;
}

/** Single-process GrantStore: tests and the embedded default. Expiry is judged by the injected clock. */
export class InMemoryGrantStore implements GrantStore {
  private readonly pending = new Map<string, PendingAuthorization>();
  private readonly codes = new Map<string, AuthorizationCodeRecord>();
  private readonly grants = new Map<string, Grant>();
  private readonly accessTokens = new Map<string, AccessTokenRecord>();
  private readonly refreshTokens = new Map<string, RefreshEntry>();

  constructor(private readonly clock: Clock) {}

  /** Number of live records of every kind, so tests can prove that nothing was left behind. */
  size(): { pending: number; codes: number; grants: number; accessTokens: number; refreshTokens: number } {
    return {
      pending: this.pending.size,
      codes: this.codes.size,
      grants: this.grants.size,
      accessTokens: this.accessTokens.size,
      refreshTokens: this.refreshTokens.size,
    };
  }

  private live<T extends { expiresAt: number }>(map: Map<string, T>, key: string): T | null {
    const value = map.get(key);
    if (value === undefined) return null;
    if (value.expiresAt <= this.clock.now()) {
      map.delete(key);
      return null;
    }
    return value;
  }

  async putPending(id: string, pending: PendingAuthorization): Promise<void> {
    this.pending.set(id, structuredClone(pending));
  }

  async getPending(id: string): Promise<PendingAuthorization | null> {
    const value = this.live(this.pending, id);
    return value === null ? null : structuredClone(value);
  }

  async updatePending(id: string, pending: PendingAuthorization): Promise<boolean> {
    if (this.live(this.pending, id) === null) return false;
    this.pending.set(id, structuredClone(pending));
    return true;
  }

  async takePending(id: string): Promise<PendingAuthorization | null> {
    const value = this.live(this.pending, id);
    this.pending.delete(id);
    return value;
  }

  async putCode(codeHash: string, record: AuthorizationCodeRecord): Promise<void> {
    this.codes.set(codeHash, { ...record });
  }

  async takeCode(codeHash: string): Promise<AuthorizationCodeRecord | null> {
    const value = this.live(this.codes, codeHash);
    this.codes.delete(codeHash);
    return value;
  }

  async putGrant(grant: Grant): Promise<void> {
    this.grants.set(grant.id, structuredClone(grant));
  }

  async getGrant(id: string): Promise<Grant | null> {
    const value = this.live(this.grants, id);
    return value === null ? null : structuredClone(value);
  }

  async revokeGrant(id: string): Promise<void> {
    this.grants.delete(id);
    for (const [key, value] of this.accessTokens) if (value.grantId === id) this.accessTokens.delete(key);
    for (const [key, value] of this.refreshTokens) if (value.record.grantId === id) this.refreshTokens.delete(key);
    for (const [key, value] of this.codes) if (value.grantId === id) this.codes.delete(key);
  }

  async grantIdsForUser(tenantId: string, objectId: string): Promise<string[]> {
    return [...this.grants.values()]
      .filter((g) => g.tenantId === tenantId && g.objectId === objectId && g.expiresAt > this.clock.now())
      .map((g) => g.id);
  }

  async grantIdsForTenant(tenantId: string): Promise<string[]> {
    return [...this.grants.values()].filter((g) => g.tenantId === tenantId && g.expiresAt > this.clock.now()).map((g) => g.id);
  }

  async putAccessToken(tokenHash: string, record: AccessTokenRecord): Promise<void> {
    this.accessTokens.set(tokenHash, structuredClone(record));
  }

  async getAccessToken(tokenHash: string): Promise<AccessTokenRecord | null> {
    const value = this.live(this.accessTokens, tokenHash);
    return value === null ? null : structuredClone(value);
  }

  async deleteAccessToken(tokenHash: string): Promise<void> {
    this.accessTokens.delete(tokenHash);
  }

  async putRefreshToken(tokenHash: string, record: RefreshTokenRecord): Promise<void> {
    this.refreshTokens.set(tokenHash, { record: { ...record }, used: false });
  }

  async useRefreshToken(tokenHash: string): Promise<RefreshTokenUse | null> {
    const entry = this.refreshTokens.get(tokenHash);
    if (entry === undefined) return null;
    if (entry.record.expiresAt <= this.clock.now()) {
      this.refreshTokens.delete(tokenHash);
      return null;
    }
    if (entry.used) return { status: 'reused', record: { ...entry.record } };
    entry.used = true;
    return { status: 'fresh', record: { ...entry.record } };
  }
}
