import type { UploadSessionState } from '../../domain/upload-session.js';
import type { Clock } from '../../ports/clock.js';
import type { UploadSessionStore } from '../../ports/upload-session-store.js';
import { UPLOAD_SESSION_GRACE_MS } from '../memory/in-memory-upload-session-store.js';
import type { GuardedRedis } from './guarded-redis.js';
import { defineScript } from './redis-client.js';

const key = (id: string): string => `upl:${id}`;

// KEYS[1] record; ARGV expected version, next record JSON, ttl ms. Writes only over that version.
const COMPARE_AND_SET = `
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local ok, rec = pcall(cjson.decode, raw)
if not ok or type(rec) ~= 'table' or tostring(rec.version) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
`;

/**
 * Upload sessions as JSON under `upl:<id>` (tail bytes base64), expiring a grace period after the
 * Graph session does. Updates are compare-and-set on `version` in one Lua script, so two replicas
 * racing on one upload cannot both advance it. One key per command: fine in cluster mode.
 */
export class RedisUploadSessionStore implements UploadSessionStore {
  private readonly compareAndSet: (...args: (string | number)[]) => Promise<unknown>;

  constructor(
    private readonly redis: GuardedRedis,
    private readonly clock: Clock,
  ) {
    this.compareAndSet = defineScript(redis.client, 'm365UploadCas', COMPARE_AND_SET, 1);
  }

  async create(state: UploadSessionState): Promise<void> {
    const record = { ...state, version: 1 };
    const created = await this.redis.run('upload create', (c) => c.set(key(state.id), serialize(record), 'PX', this.ttl(state), 'NX'));
    if (created !== 'OK') throw new Error(`upload session ${state.id} exists`);
  }

  async get(id: string): Promise<UploadSessionState | null> {
    const raw = await this.redis.run('upload get', (c) => c.get(key(id)));
    return raw === null ? null : deserialize(raw);
  }

  async update(next: UploadSessionState, expectedVersion: number): Promise<boolean> {
    const record = serialize({ ...next, version: expectedVersion + 1 });
    const result = await this.redis.run('upload update', () => this.compareAndSet(key(next.id), String(expectedVersion), record, this.ttl(next)));
    return result === 1;
  }

  async delete(id: string): Promise<void> {
    await this.redis.run('upload delete', (c) => c.del(key(id)));
  }

  private ttl(state: UploadSessionState): number {
    return Math.max(1, Math.ceil(state.expiresAt + UPLOAD_SESSION_GRACE_MS - this.clock.now()));
  }
}

function serialize(state: UploadSessionState): string {
  return JSON.stringify({ ...state, tail: Buffer.from(state.tail).toString('base64') });
}

/** A malformed record reads as absent (the upload answers not_found rather than crashing). */
function deserialize(raw: string): UploadSessionState | null {
  try {
    const parsed = JSON.parse(raw) as Omit<UploadSessionState, 'tail'> & { tail: unknown };
    if (typeof parsed.id !== 'string' || typeof parsed.version !== 'number' || typeof parsed.tail !== 'string' || typeof parsed.uploadUrl !== 'string') return null;
    return { ...parsed, tail: new Uint8Array(Buffer.from(parsed.tail, 'base64')) };
  } catch {
    return null;
  }
}
