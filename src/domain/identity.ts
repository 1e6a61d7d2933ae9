/** Who is calling: the Entra identity our access token is bound to. Never holds a token. */
export interface Identity {
  /** Entra tenant id (`tid`). */
  tenantId: string;
  /** Entra object id of the user (`oid`). */
  objectId: string;
  /** Subject (`sub`) of the id token. */
  subject: string;
  /** The MCP client the token was issued to. */
  clientId: string;
  /** Our scopes granted to the client. */
  scopes: readonly string[];
}

/** A stable key for per-user state (token cache, locks, limits). */
export function userKey(identity: Pick<Identity, 'tenantId' | 'objectId'>): string {
  return `${identity.tenantId}.${identity.objectId}`;
}
