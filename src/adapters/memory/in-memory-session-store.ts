import type { Clock } from '../../ports/clock.js';
import type { McpSession, SessionStore } from '../../ports/session-store.js';
import { parseJsonRecord, sessionSchema } from '../shared/stored-records.js';

/** Session store for the embedded default and tests; the backing map is keyed by session id. */
export class InMemorySessionStore implements SessionStore {
  constructor(
    private readonly clock: Clock,
    private readonly entries: Map<string, string> = new Map(),
  ) {}

  async create(session: McpSession): Promise<void> {
    this.entries.set(session.id, JSON.stringify(session));
  }

  async get(id: string): Promise<McpSession | null> {
    const session = parseJsonRecord(sessionSchema, this.entries.get(id));
    return session !== null && session.expiresAt > this.clock.now() ? session : null;
  }

  async delete(id: string): Promise<void> {
    this.entries.delete(id);
  }

  async deleteForUser(tenantId: string, objectId: string): Promise<number> {
    let deleted = 0;
    for (const [id, raw] of this.entries) {
      const session = parseJsonRecord(sessionSchema, raw);
      if (session?.tenantId !== tenantId || session.objectId !== objectId) continue;
      this.entries.delete(id);
      if (session.expiresAt > this.clock.now()) deleted += 1;
    }
    return deleted;
  }
}
