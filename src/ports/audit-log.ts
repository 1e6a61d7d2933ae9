/** Security events, a stream separate from the application log. Never content, never secrets. */
export interface AuditEvent {
  action: string;
  outcome: 'success' | 'failure' | 'denied';
  tenantId?: string;
  /** The acting user (oid) or operator. */
  actor?: string;
  clientId?: string;
  /** A short machine-readable reason for failures and denials, or what an operator action changed. */
  reason?: string;
  correlationId?: string;
}

export interface AuditLog {
  record(event: AuditEvent): void;
}
