import type { Logger } from '../../ports/logger.js';
import type { McpSession, SessionStore } from '../../ports/session-store.js';
import { RedisOutage } from './redis-outage.js';

/**
 * Sessions in DynamoDB (durable, the record of truth) with Redis in front for reads.
 * - create/delete/deleteForUser write DynamoDB first (must succeed), then Redis (best effort).
 * - get reads Redis; a miss or a Redis outage reads DynamoDB, and a DynamoDB hit warms Redis.
 * Redis keeps a session at most `ttlCapMs` (set on the Redis store), which bounds how long a delete
 * missed during a Redis partition can linger there. See docs/storage.md.
 */
export class FallbackSessionStore implements SessionStore {
  private readonly outage: RedisOutage;

  constructor(
    private readonly redis: SessionStore,
    private readonly durable: SessionStore,
    logger?: Logger,
  ) {
    this.outage = new RedisOutage('sessions', logger);
  }

  async create(session: McpSession): Promise<void> {
    await this.durable.create(session);
    await this.outage.attempt(() => this.redis.create(session));
  }

  async get(id: string): Promise<McpSession | null> {
    const cached = await this.outage.attempt(() => this.redis.get(id));
    if (cached?.value) return cached.value;
    const session = await this.durable.get(id);
    if (session !== null && cached !== undefined) await this.outage.attempt(() => this.redis.create(session));
    return session;
  }

  async delete(id: string): Promise<void> {
    await this.durable.delete(id);
    await this.outage.attempt(() => this.redis.delete(id));
  }

  async deleteForUser(tenantId: string, objectId: string): Promise<number> {
    const deleted = await this.durable.deleteForUser(tenantId, objectId);
    await this.outage.attempt(() => this.redis.deleteForUser(tenantId, objectId));
    return deleted;
  }
}
