/**
 * Minimal in-memory TokenStore, SessionStore, Lock, AuditLog, Encryptor and Clock for the auth tests,
 * until the issue-5 adapters land in src/adapters/memory. Real behaviour, no mocks.
 */
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { DomainError } from '../../src/domain/errors.js';
import type { AuditEvent, AuditLog } from '../../src/ports/audit-log.js';
import type { Clock } from '../../src/ports/clock.js';
import type { Decrypted, EncryptionContext, Encryptor } from '../../src/ports/encryptor.js';
import type { Lock, LockLease } from '../../src/ports/lock.js';
import type { McpSession, SessionStore } from '../../src/ports/session-store.js';
import type { StoredTokens, TokenStore } from '../../src/ports/token-store.js';

export class ManualClock implements Clock {
  constructor(private ms = Date.now()) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

export class TestTokenStore implements TokenStore {
  readonly records = new Map<string, StoredTokens>();
  puts = 0;
  async get(tenantId: string, objectId: string): Promise<StoredTokens | null> {
    const r = this.records.get(`${tenantId}.${objectId}`);
    return r === undefined ? null : { ...r };
  }
  async put(record: StoredTokens): Promise<boolean> {
    const key = `${record.tenantId}.${record.objectId}`;
    const current = this.records.get(key);
    const expected = record.version - 1;
    if ((current?.version ?? 0) !== expected) return false;
    this.records.set(key, { ...record });
    this.puts += 1;
    return true;
  }
  async delete(tenantId: string, objectId: string): Promise<void> {
    this.records.delete(`${tenantId}.${objectId}`);
  }
  async listUsers(tenantId: string): Promise<string[]> {
    return [...this.records.values()].filter((r) => r.tenantId === tenantId).map((r) => r.objectId);
  }
}

export class TestSessionStore implements SessionStore {
  readonly sessions = new Map<string, McpSession>();
  async create(session: McpSession): Promise<void> {
    this.sessions.set(session.id, { ...session });
  }
  async get(id: string): Promise<McpSession | null> {
    return this.sessions.get(id) ?? null;
  }
  async delete(id: string): Promise<void> {
    this.sessions.delete(id);
  }
  async deleteForUser(tenantId: string, objectId: string): Promise<number> {
    let n = 0;
    for (const [id, s] of this.sessions) {
      if (s.tenantId === tenantId && s.objectId === objectId) {
        this.sessions.delete(id);
        n += 1;
      }
    }
    return n;
  }
}

export class TestLock implements Lock {
  private readonly held = new Map<string, { owner: string; until: number }>();
  acquisitions = 0;
  async tryAcquire(key: string, ttlMs: number): Promise<LockLease | null> {
    const now = Date.now();
    const current = this.held.get(key);
    if (current !== undefined && current.until > now) return null;
    const owner = randomUUID();
    this.held.set(key, { owner, until: now + ttlMs });
    this.acquisitions += 1;
    return {
      release: async () => {
        if (this.held.get(key)?.owner === owner) this.held.delete(key);
      },
    };
  }
}

export class TestAuditLog implements AuditLog {
  readonly events: AuditEvent[] = [];
  record(event: AuditEvent): void {
    this.events.push({ ...event });
  }
  find(action: string, outcome?: AuditEvent['outcome']): AuditEvent[] {
    return this.events.filter((e) => e.action === action && (outcome === undefined || e.outcome === outcome));
  }
}

/** AES-256-GCM with the encryption context as associated data; one local key. */
export class TestEncryptor implements Encryptor {
  private readonly key = randomBytes(32);
  async encrypt(plaintext: Uint8Array, context: EncryptionContext): Promise<string> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(JSON.stringify(context)));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }
  async decrypt(sealed: string, context: EncryptionContext): Promise<Decrypted> {
    const raw = Buffer.from(sealed, 'base64');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAAD(Buffer.from(JSON.stringify(context)));
      decipher.setAuthTag(raw.subarray(12, 28));
      return { plaintext: Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]), stale: false };
    } catch (cause) {
      throw new DomainError('auth_required', 'crypto.undecryptable', 'Stored tokens cannot be decrypted.', { cause });
    }
  }
}
