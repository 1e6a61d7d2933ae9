import type { Clock } from '../../ports/clock.js';
import type { StoredTokens, TokenStore } from '../../ports/token-store.js';
import { parseJsonRecord, storedTokensSchema } from '../shared/stored-records.js';

/** Key of one user's record in the backing map. */
export const tokenEntryKey = (tenantId: string, objectId: string): string => `${tenantId}#${objectId}`;

/** Token store for the embedded default and tests. Records are kept serialized, like a real store. */
export class InMemoryTokenStore implements TokenStore {
  constructor(
    private readonly clock: Clock,
    private readonly entries: Map<string, string> = new Map(),
  ) {}

  async get(tenantId: string, objectId: string): Promise<StoredTokens | null> {
    return this.live(tokenEntryKey(tenantId, objectId));
  }

  async put(record: StoredTokens): Promise<boolean> {
    const key = tokenEntryKey(record.tenantId, record.objectId);
    const current = this.live(key);
    const expected = record.version === 1 ? null : record.version - 1;
    if ((current?.version ?? null) !== expected) return false;
    this.entries.set(key, JSON.stringify(record));
    return true;
  }

  async delete(tenantId: string, objectId: string): Promise<void> {
    this.entries.delete(tokenEntryKey(tenantId, objectId));
  }

  async listUsers(tenantId: string): Promise<string[]> {
    const users: string[] = [];
    for (const key of this.entries.keys()) {
      const record = this.live(key);
      if (record?.tenantId === tenantId) users.push(record.objectId);
    }
    return users;
  }

  private live(key: string): StoredTokens | null {
    const record = parseJsonRecord(storedTokensSchema, this.entries.get(key));
    return record !== null && record.expiresAt > this.clock.now() ? record : null;
  }
}
