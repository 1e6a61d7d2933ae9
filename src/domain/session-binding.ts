import { randomBytes } from 'node:crypto';
import { notFound } from './errors.js';
import type { DomainError } from './errors.js';
import type { Identity } from './identity.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { Clock } from '../ports/clock.js';
import type { McpSession, SessionStore } from '../ports/session-store.js';

export interface SessionBindingOptions {
  ttlMs: number;
  clockSkewMs: number;
}

const unknownSession = (): DomainError => notFound('session.notFound', 'Unknown or expired MCP session. Start a new one.');

/**
 * MCP sessions bound to the identity that opened them. A session id never authenticates: every
 * request brings a token, and its tid+oid+sub must equal the session's, else the session does not
 * exist for that caller (404, audited).
 */
export class SessionBinding {
  constructor(
    private readonly sessions: SessionStore,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly options: SessionBindingOptions,
  ) {}

  async open(identity: Identity): Promise<McpSession> {
    const now = this.clock.now();
    const session: McpSession = {
      id: randomBytes(32).toString('base64url'),
      tenantId: identity.tenantId,
      objectId: identity.objectId,
      subject: identity.subject,
      clientId: identity.clientId,
      createdAt: now,
      expiresAt: now + this.options.ttlMs,
    };
    await this.sessions.create(session);
    return session;
  }

  /** Throws `not_found` (HTTP 404) when the session is unknown, expired or belongs to someone else. */
  async assertOwner(sessionId: string, identity: Identity): Promise<McpSession> {
    const session = sessionId.length > 0 && sessionId.length <= 256 ? await this.sessions.get(sessionId) : null;
    if (session === null || session.expiresAt + this.options.clockSkewMs <= this.clock.now()) throw unknownSession();
    if (session.tenantId !== identity.tenantId || session.objectId !== identity.objectId || session.subject !== identity.subject) {
      this.audit.record({ action: 'session.mismatch', outcome: 'denied', tenantId: identity.tenantId, actor: identity.objectId, clientId: identity.clientId, reason: 'identity_mismatch' });
      throw unknownSession();
    }
    return session;
  }

  async close(sessionId: string, identity: Identity): Promise<void> {
    await this.assertOwner(sessionId, identity);
    await this.sessions.delete(sessionId);
  }
}
