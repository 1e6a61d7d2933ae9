import type { OAuthClient } from '../../ports/oauth-client-store.js';

/** Which Entra tenants may use the gateway, and what consent they need. */
export interface TenantPolicy {
  /** Tenant ids allowed to sign in; `'*'` allows any (never in production). */
  allowedTenants: readonly string[] | '*';
  /** `user`: a user's own consent is enough. `admin`: the tenant must be listed as admin-consented. */
  consentPolicy: 'user' | 'admin';
  /** Tenants whose administrator granted tenant-wide consent (checked when `consentPolicy` is `admin`). */
  adminConsentedTenants: readonly string[];
}

export interface MetadataFetchLimits {
  /** Development only: allow loopback/private targets and plain http for client metadata documents. */
  allowPrivateNetworks: boolean;
  timeoutMs: number;
  maxBytes: number;
  /** How long a fetched document is trusted before it is fetched again. */
  cacheTtlMs: number;
}

export interface OAuthServerSettings {
  /** Our public origin, e.g. https://mcp.example.com (the issuer; no trailing slash). */
  issuer: string;
  /** The protected resource (RFC 8707 / RFC 9728), e.g. https://mcp.example.com/mcp. */
  resource: string;
  /** Delegated scopes we grant to MCP clients (the Graph scopes of the Entra app registration). */
  scopesSupported: readonly string[];
  accessTokenTtlMs: number;
  refreshTokenTtlMs: number;
  /** Absolute lifetime of a grant; refresh tokens never outlive it. */
  grantTtlMs: number;
  authorizationCodeTtlMs: number;
  /** How long a user may sit at the consent page and Microsoft sign-in. */
  pendingAuthorizationTtlMs: number;
  /** Allowed clock skew between replicas for every expiry decision on our tokens. */
  clockSkewMs: number;
  dynamicRegistration: boolean;
  /** How long a dynamically registered client stays valid. */
  dynamicClientTtlMs: number;
  clientMetadataDocuments: boolean;
  metadataFetch: MetadataFetchLimits;
  preregisteredClients: readonly Pick<OAuthClient, 'clientId' | 'clientName' | 'redirectUris'>[];
  tenantPolicy: TenantPolicy;
  /** Browser-facing origin of Microsoft sign-in, allowed as a form target by the consent page's CSP. */
  signInOrigin: string;
  /** Secure (`__Host-`) cookies; false only for plain-HTTP development. */
  secureCookies: boolean;
  /** Cap on request bodies of our OAuth endpoints. */
  maxBodyBytes: number;
}
