/** An MCP client known to our authorization server (public client: PKCE, no secret). */
export interface OAuthClient {
  clientId: string;
  clientName: string;
  /** Exact strings; redirect URIs are compared byte for byte. */
  redirectUris: string[];
  /** How we came to know it. */
  source: 'preregistered' | 'dynamic' | 'metadata_document';
  createdAt: number;
  /** Dynamic registrations and cached metadata documents expire; pre-registered ones never do. */
  expiresAt?: number;
}

/** Dynamically registered clients and cached client metadata documents. */
export interface OAuthClientStore {
  get(clientId: string): Promise<OAuthClient | null>;
  put(client: OAuthClient): Promise<void>;
}
