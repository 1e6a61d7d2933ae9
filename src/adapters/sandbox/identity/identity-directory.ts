/** Who can sign in at the sandbox identity provider. Structurally compatible with the sandbox Graph's seeded users. */
export interface IdentityUser {
  /** Entra object id (`oid`). */
  id: string;
  tenantId: string;
  displayName: string;
  userPrincipalName: string;
}

export interface IdentityTenant {
  id: string;
  /** Verified domain, accepted in place of the id in authority paths. */
  domain: string;
}

/** An app registration: our gateway as a confidential client of the sandbox IdP. */
export interface IdentityApp {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

/** What a sandbox Graph access token asserts; matches `mintSandboxAccessToken`'s claims. */
export interface GraphAccessClaims {
  tenantId: string;
  userId: string;
  scopes: string[];
  expiresAt: number;
}

export type GraphTokenMinter = (claims: GraphAccessClaims) => string;
