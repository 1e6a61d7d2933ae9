/** The user as Microsoft Entra signed them in. */
export interface SignedInUser {
  tenantId: string;
  objectId: string;
  subject: string;
  /** Delegated scopes Entra actually granted (lower-cased as Entra returns them). */
  grantedScopes: string[];
  displayName?: string;
}

export interface CompletedSignIn {
  user: SignedInUser;
  /** Takes custody: seals the user's Microsoft token cache into the TokenStore. */
  keepTokens(): Promise<void>;
}

export interface SignInStart {
  /** Where to send the browser. */
  url: string;
  /** Our PKCE verifier for this sign-in; kept server-side until the callback. */
  codeVerifier: string;
}

/**
 * The upstream sign-in (Microsoft Entra). Completing a sign-in also takes custody of the user's
 * Microsoft tokens (TokenStore); they never leave the adapter.
 */
export interface IdentityProvider {
  beginSignIn(input: { state: string }): Promise<SignInStart>;
  /**
   * Redeems the code. The Microsoft tokens are held in memory until `keepTokens()` is called, so a
   * sign-in that policy rejects leaves nothing behind. Fails with `auth_required` (bad or expired
   * code, invalid_grant) or `unavailable`.
   */
  completeSignIn(input: { code: string; codeVerifier: string }): Promise<CompletedSignIn>;
}
