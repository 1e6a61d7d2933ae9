/**
 * Our side of OAuth: what the authorization server remembers between requests. Secrets (codes,
 * tokens) are never stored: callers pass their SHA-256 hashes as keys. Every record has an absolute
 * expiry (epoch ms) after which the store treats it as absent and may drop it.
 */

/** A pending /authorize request while the user is at the consent page and at Microsoft sign-in. */
export interface PendingAuthorization {
  clientId: string;
  redirectUri: string;
  /** The client's `state`, echoed back verbatim. */
  state: string;
  codeChallenge: string;
  resource: string;
  scopes: string[];
  /** CSRF token the consent form must echo (also set as a cookie). */
  csrfToken: string;
  /** Set once the user approved: our PKCE verifier for the Entra leg. */
  entraCodeVerifier?: string;
  /** Binds the Entra callback to the browser that approved (cookie value hash). */
  browserBindingHash?: string;
  expiresAt: number;
}

/** One issued authorization code, redeemable once. */
export interface AuthorizationCodeRecord {
  grantId: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  resource: string;
  expiresAt: number;
}

/** What a user allowed one client to do; tokens hang off it and die with it. */
export interface Grant {
  id: string;
  tenantId: string;
  objectId: string;
  subject: string;
  clientId: string;
  scopes: string[];
  resource: string;
  createdAt: number;
  /** Hard end of the grant (refresh tokens never outlive it). */
  expiresAt: number;
}

export interface AccessTokenRecord {
  grantId: string;
  tenantId: string;
  objectId: string;
  subject: string;
  clientId: string;
  scopes: string[];
  resource: string;
  expiresAt: number;
}

export interface RefreshTokenRecord {
  grantId: string;
  expiresAt: number;
}

export type RefreshTokenUse =
  | { status: 'fresh'; record: RefreshTokenRecord }
  /** Presented before: the token leaked or the client raced itself; the caller revokes the grant. */
  | { status: 'reused'; record: RefreshTokenRecord };

export interface GrantStore {
  putPending(id: string, pending: PendingAuthorization): Promise<void>;
  getPending(id: string): Promise<PendingAuthorization | null>;
  /** Replaces a pending record only if it still exists. */
  updatePending(id: string, pending: PendingAuthorization): Promise<boolean>;
  /** Reads and deletes atomically: a second take of the same id returns null. */
  takePending(id: string): Promise<PendingAuthorization | null>;

  putCode(codeHash: string, record: AuthorizationCodeRecord): Promise<void>;
  /** Reads and deletes atomically (single use). */
  takeCode(codeHash: string): Promise<AuthorizationCodeRecord | null>;

  putGrant(grant: Grant): Promise<void>;
  getGrant(id: string): Promise<Grant | null>;
  /** Deletes the grant with all of its access and refresh tokens and unredeemed codes. */
  revokeGrant(id: string): Promise<void>;
  grantIdsForUser(tenantId: string, objectId: string): Promise<string[]>;
  grantIdsForTenant(tenantId: string): Promise<string[]>;

  putAccessToken(tokenHash: string, record: AccessTokenRecord): Promise<void>;
  getAccessToken(tokenHash: string): Promise<AccessTokenRecord | null>;
  deleteAccessToken(tokenHash: string): Promise<void>;

  putRefreshToken(tokenHash: string, record: RefreshTokenRecord): Promise<void>;
  /**
   * Marks the token used, atomically. The first use returns `fresh`; every later one `reused` (the
   * record is kept, marked, until it expires so reuse stays detectable). Unknown or expired: null.
   */
  useRefreshToken(tokenHash: string): Promise<RefreshTokenUse | null>;
}
