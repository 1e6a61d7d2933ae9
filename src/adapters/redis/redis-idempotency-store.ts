import type { Clock } from '../../ports/clock.js';
import type { IdempotencyClaim, IdempotencyStore } from '../../ports/idempotency-store.js';
import type { IdempotencyRecord } from '../shared/stored-records.js';
import { defineScript } from './redis-client.js';
import type { GuardedRedis } from './guarded-redis.js';

// A record that is not a well-formed table reads as absent (see docs/storage.md).
const READ_RECORD = `
local function read(key)
  local raw = redis.call('GET', key)
  if not raw then return nil end
  local ok, rec = pcall(cjson.decode, raw)
  if ok and type(rec) == 'table' and type(rec.fingerprint) == 'string'
     and (rec.state == 'pending' or rec.state == 'done') then return rec end
  return nil
end
`;

// KEYS[1] record; ARGV fingerprint, pending record JSON, ttl ms.
const CLAIM = `${READ_RECORD}
local rec = read(KEYS[1])
if rec then
  if rec.fingerprint ~= ARGV[1] then return {'mismatch'} end
  if rec.state == 'done' then return {'completed', type(rec.result) == 'string' and rec.result or ''} end
  return {'in_progress'}
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return {'claimed'}
`;

// KEYS[1] record; ARGV fingerprint, done record JSON, ttl ms. Never overwrites another fingerprint's claim.
const COMPLETE = `${READ_RECORD}
local rec = read(KEYS[1])
if rec and rec.fingerprint ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
`;

// KEYS[1] record; ARGV fingerprint. Only a pending claim with the same fingerprint is released.
const RELEASE = `${READ_RECORD}
local rec = read(KEYS[1])
if rec and rec.fingerprint == ARGV[1] and rec.state == 'pending' then return redis.call('DEL', KEYS[1]) end
return 0
`;

/** Idempotency records under `idem:<key>`; each operation is one atomic Lua script on one key. */
export class RedisIdempotencyStore implements IdempotencyStore {
  private readonly claimScript;
  private readonly completeScript;
  private readonly releaseScript;

  constructor(
    private readonly redis: GuardedRedis,
    private readonly clock: Clock,
  ) {
    this.claimScript = defineScript(redis.client, 'm365IdemClaim', CLAIM, 1);
    this.completeScript = defineScript(redis.client, 'm365IdemComplete', COMPLETE, 1);
    this.releaseScript = defineScript(redis.client, 'm365IdemRelease', RELEASE, 1);
  }

  async claim(key: string, fingerprint: string, ttlMs: number): Promise<IdempotencyClaim> {
    const record = this.record(fingerprint, 'pending', ttlMs);
    const reply = await this.redis.run('idempotency claim', () =>
      this.claimScript(`idem:${key}`, fingerprint, JSON.stringify(record), Math.max(1, Math.ceil(ttlMs))),
    );
    const [state, result] = Array.isArray(reply) ? (reply as unknown[]) : [];
    if (state === 'completed') return { state, result: typeof result === 'string' ? result : '' };
    if (state === 'claimed' || state === 'in_progress' || state === 'mismatch') return { state };
    throw new Error(`Unexpected idempotency script reply: ${String(state)}`);
  }

  async complete(key: string, fingerprint: string, result: string, ttlMs: number): Promise<void> {
    const record = { ...this.record(fingerprint, 'done', ttlMs), result };
    await this.redis.run('idempotency complete', () =>
      this.completeScript(`idem:${key}`, fingerprint, JSON.stringify(record), Math.max(1, Math.ceil(ttlMs))),
    );
  }

  async release(key: string, fingerprint: string): Promise<void> {
    await this.redis.run('idempotency release', () => this.releaseScript(`idem:${key}`, fingerprint));
  }

  private record(fingerprint: string, state: IdempotencyRecord['state'], ttlMs: number): IdempotencyRecord {
    return { fingerprint, state, expiresAt: this.clock.now() + ttlMs };
  }
}
