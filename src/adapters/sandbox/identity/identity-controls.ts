/**
 * Test and demo levers of the sandbox identity provider: what it saw (requested scopes, token
 * requests) and the failures it should produce next (outage, invalid_grant, revoked users, latency).
 */
export interface TokenRequestRecord {
  grantType: string;
  /** The `scope` parameter exactly as sent, split on spaces. */
  scopes: string[];
  tenantId?: string;
  userId?: string;
  outcome: 'issued' | 'invalid_grant' | 'invalid_client' | 'invalid_request' | 'unavailable';
}

export interface AuthorizeRequestRecord {
  tenantPath: string;
  scopes: string[];
  codeChallengeMethod: string | undefined;
  redirectUri: string;
}

export class IdentityControls {
  readonly tokenRequests: TokenRequestRecord[] = [];
  readonly authorizeRequests: AuthorizeRequestRecord[] = [];
  /** Lifetime of Graph access tokens issued from now on. */
  accessTokenLifetimeSeconds = 3600;
  /** Added to every token response, to widen race windows in storm tests. */
  tokenLatencyMs = 0;
  private outageRemaining = 0;
  private readonly deadUsers = new Set<string>();

  refreshCount(userId?: string): number {
    return this.tokenRequests.filter((r) => r.grantType === 'refresh_token' && r.outcome === 'issued' && (userId === undefined || r.userId === userId)).length;
  }

  /** The next `count` token requests fail with 503 temporarily_unavailable. */
  failNextTokenRequests(count: number): void {
    this.outageRemaining = count;
  }

  takeOutage(): boolean {
    if (this.outageRemaining <= 0) return false;
    this.outageRemaining -= 1;
    return true;
  }

  /** Every refresh token of this user is dead from now on (consent withdrawn, password reset). */
  revokeUser(tenantId: string, userId: string): void {
    this.deadUsers.add(`${tenantId}.${userId}`);
  }

  isRevoked(tenantId: string, userId: string): boolean {
    return this.deadUsers.has(`${tenantId}.${userId}`);
  }

  reinstateUser(tenantId: string, userId: string): void {
    this.deadUsers.delete(`${tenantId}.${userId}`);
  }
}
