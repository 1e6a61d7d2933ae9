import type { Clock } from '../../ports/clock.js';
import type { McpSession, SessionStore } from '../../ports/session-store.js';
import { parseJsonRecord, sessionSchema } from '../shared/stored-records.js';
import type { GuardedRedis } from './guarded-redis.js';

const sessionKey = (id: string): string => `sess:${id}`;
const userIndexKey = (tenantId: string, objectId: string): string => `sessu:${tenantId}:${objectId}`;

export interface RedisSessionStoreOptions {
  /** Upper bound on how long Redis keeps a session (the fallback composite caps it; see docs/storage.md). */
  ttlCapMs?: number;
}

/**
 * Sessions as JSON under `sess:<id>` with a PX expiry at the session's end, plus a per-user set
 * `sessu:<tenant>:<oid>` of ids for revocation. Commands touch one key each, so this works in cluster mode.
 */
export class RedisSessionStore implements SessionStore {
  constructor(
    private readonly redis: GuardedRedis,
    private readonly clock: Clock,
    private readonly options: RedisSessionStoreOptions = {},
  ) {}

  async create(session: McpSession): Promise<void> {
    const ttl = Math.min(
      session.expiresAt - this.clock.now(),
      this.options.ttlCapMs ?? Number.POSITIVE_INFINITY,
    );
    if (ttl <= 0) return;
    const px = Math.ceil(ttl);
    const index = userIndexKey(session.tenantId, session.objectId);
    await this.redis.run('session create', async (c) => {
      await c.set(sessionKey(session.id), JSON.stringify(session), 'PX', px);
      // The index lives as long as its longest-lived session: set an expiry if none, else only extend it.
      await c.multi().sadd(index, session.id).pexpire(index, px, 'NX').pexpire(index, px, 'GT').exec();
    });
  }

  async get(id: string): Promise<McpSession | null> {
    const raw = await this.redis.run('session get', (c) => c.get(sessionKey(id)));
    const session = parseJsonRecord(sessionSchema, raw);
    return session !== null && session.expiresAt > this.clock.now() ? session : null;
  }

  async delete(id: string): Promise<void> {
    await this.redis.run('session delete', (c) => c.del(sessionKey(id)));
  }

  async deleteForUser(tenantId: string, objectId: string): Promise<number> {
    const index = userIndexKey(tenantId, objectId);
    return this.redis.run('session deleteForUser', async (c) => {
      const ids = await c.smembers(index);
      const removed = await Promise.all(ids.map((id) => c.del(sessionKey(id))));
      await c.del(index);
      return removed.reduce((sum, n) => sum + n, 0);
    });
  }
}
