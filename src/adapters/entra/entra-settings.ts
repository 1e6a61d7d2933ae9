/** How the gateway talks to Microsoft Entra (or the sandbox IdP standing in for it). */
export interface EntraSettings {
  clientId: string;
  clientSecret: string;
  /** https origin of the authority, e.g. https://login.microsoftonline.com. */
  authorityHost: string;
  /** Authority path for sign-in: `organizations` for multi-tenant work accounts, or one tenant id. */
  signInTenant: string;
  /** Our callback, registered exactly in the app registration. */
  redirectUri: string;
  /** Delegated Graph scopes requested at sign-in and on every refresh (never widened). */
  graphScopes: string[];
  /** Per-request timeout towards Entra. */
  requestTimeoutMs: number;
  /**
   * Development only: the sandbox IdP serves the https authority from a plain-HTTP loopback origin.
   * Server-side requests and the browser redirect are rewritten to it.
   */
  rewriteAuthorityTo?: string;
}
