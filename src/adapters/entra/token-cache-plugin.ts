import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import type { Clock } from '../../ports/clock.js';
import type { EncryptionContext, Encryptor } from '../../ports/encryptor.js';
import type { TokenStore } from '../../ports/token-store.js';

const PURPOSE = 'msal-cache';

export interface UserPartition {
  tenantId: string;
  objectId: string;
}

export interface CustodyDeps {
  tokenStore: TokenStore;
  encryptor: Encryptor;
  clock: Clock;
  /** How long a sealed cache may live without a write (the refresh token's lifetime). */
  custodyTtlMs: number;
}

export function encryptionContext(partition: UserPartition): EncryptionContext {
  return { tenantId: partition.tenantId, userId: partition.objectId, purpose: PURPOSE };
}

/**
 * Seals `serialized` for the user and writes it with optimistic concurrency. Returns false when a
 * concurrent writer won; the caller decides whether that matters.
 */
export async function sealCache(deps: CustodyDeps, partition: UserPartition, serialized: string, version: number): Promise<boolean> {
  const sealed = await deps.encryptor.encrypt(Buffer.from(serialized, 'utf8'), encryptionContext(partition));
  return deps.tokenStore.put({
    tenantId: partition.tenantId,
    objectId: partition.objectId,
    sealed,
    version,
    expiresAt: deps.clock.now() + deps.custodyTtlMs,
  });
}

/**
 * MSAL cache plugin bound to exactly one user: MSAL's in-memory cache only ever holds this user's
 * tokens, loaded from and written back to the TokenStore, sealed by the Encryptor.
 */
export class UserTokenCachePlugin implements ICachePlugin {
  /** Version of the record last read or written; 0 when nothing is stored. */
  private version = 0;
  private stale = false;
  /** True when a write lost an optimistic-concurrency race. */
  lostWrite = false;
  found = false;

  constructor(
    private readonly deps: CustodyDeps,
    private readonly partition: UserPartition,
  ) {}

  async beforeCacheAccess(context: TokenCacheContext): Promise<void> {
    const record = await this.deps.tokenStore.get(this.partition.tenantId, this.partition.objectId);
    if (record === null) {
      this.version = 0;
      this.found = false;
      return;
    }
    const { plaintext, stale } = await this.deps.encryptor.decrypt(record.sealed, encryptionContext(this.partition));
    this.version = record.version;
    this.stale = stale;
    this.found = true;
    context.tokenCache.deserialize(Buffer.from(plaintext).toString('utf8'));
  }

  async afterCacheAccess(context: TokenCacheContext): Promise<void> {
    // Only a cache that came from the store is written back: a logout in between must not be undone.
    if (!this.found || (!context.cacheHasChanged && !this.stale)) return;
    const written = await sealCache(this.deps, this.partition, context.tokenCache.serialize(), this.version + 1);
    if (written) {
      this.version += 1;
      this.stale = false;
    } else {
      this.lostWrite = true;
    }
  }
}

/** Plugin for a sign-in in progress: the user is unknown until the code is redeemed, so it only captures. */
export class CapturingCachePlugin implements ICachePlugin {
  serialized: string | null = null;

  async beforeCacheAccess(): Promise<void> {}

  async afterCacheAccess(context: TokenCacheContext): Promise<void> {
    if (context.cacheHasChanged) this.serialized = context.tokenCache.serialize();
  }
}
