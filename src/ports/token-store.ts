/** One user's sealed Microsoft token cache (MSAL serialization, encrypted by the Encryptor). */
export interface StoredTokens {
  tenantId: string;
  objectId: string;
  sealed: string;
  /** Monotonic version for optimistic concurrency; starts at 1. */
  version: number;
  /** When the record may be deleted (epoch ms): the refresh token's lifetime. */
  expiresAt: number;
}

export interface TokenStore {
  get(tenantId: string, objectId: string): Promise<StoredTokens | null>;
  /**
   * Writes `record` only if the stored version is `record.version - 1` (or nothing is stored when
   * `record.version === 1`). Returns false when another writer got there first.
   */
  put(record: StoredTokens): Promise<boolean>;
  delete(tenantId: string, objectId: string): Promise<void>;
  /** Object ids with stored tokens in a tenant (operator revocation). */
  listUsers(tenantId: string): Promise<string[]>;
}
