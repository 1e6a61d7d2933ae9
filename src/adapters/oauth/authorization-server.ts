import {
  InvalidClientError,
  InvalidGrantError,
  InvalidRequestError,
  InvalidScopeError,
  InvalidTargetError,
  OAuthError,
  UnsupportedGrantTypeError,
  UnsupportedResponseTypeError,
} from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { isDomainError } from '../../domain/errors.js';
import type { AuditEvent, AuditLog } from '../../ports/audit-log.js';
import type { Clock } from '../../ports/clock.js';
import type { AccessTokenRecord, Grant, GrantStore } from '../../ports/grant-store.js';
import type { IdentityProvider } from '../../ports/identity-provider.js';
import type { OAuthClient } from '../../ports/oauth-client-store.js';
import type { ClientRegistry } from './client-registry.js';
import type { OAuthServerSettings } from './oauth-settings.js';
import { hashSecret, isValidCodeChallenge, newSecret, safeEqual, verifyPkce } from './secrets.js';
import { decideTenant, tenantAllowed } from './tenant-gate.js';

export type Params = Record<string, string | undefined>;

/** Where /authorize goes next. */
export type AuthorizeOutcome =
  /** Client or redirect URI unverified: show an error page, never redirect. */
  | { kind: 'error_page'; error: OAuthError }
  /** Verified redirect URI: send the error back to the client. */
  | { kind: 'redirect'; location: string }
  | { kind: 'consent'; requestId: string; csrfToken: string; client: OAuthClient; scopes: string[]; redirectUri: string };

export interface AuthorizationServerDeps {
  settings: OAuthServerSettings;
  clients: ClientRegistry;
  grants: GrantStore;
  identityProvider: IdentityProvider;
  clock: Clock;
  audit: AuditLog;
}

const MAX_STATE = 1024;
const MAX_PARAM = 2048;

function redirectWith(redirectUri: string, params: Record<string, string>): string {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}

/**
 * The OAuth 2.1 authorization server in front of Entra, free of HTTP: /authorize (validation and
 * consent), the Entra callback (policy and our code), /token (code + PKCE, rotating refresh tokens
 * with reuse detection), /revoke and access-token verification for the resource server.
 */
export class AuthorizationServer {
  constructor(private readonly deps: AuthorizationServerDeps) {}

  private audit(event: AuditEvent): void {
    this.deps.audit.record(event);
  }

  private now(): number {
    return this.deps.clock.now();
  }

  async authorize(params: Params): Promise<AuthorizeOutcome> {
    const clientId = params.client_id ?? '';
    const deny = (reason: string, error: OAuthError): AuthorizeOutcome => {
      this.audit({ action: 'authorize', outcome: 'denied', clientId: clientId.slice(0, 200), reason });
      return { kind: 'error_page', error };
    };
    if (clientId === '' || clientId.length > MAX_PARAM) return deny('missing_client', new InvalidRequestError('client_id is required.'));
    let client: OAuthClient;
    try {
      client = await this.deps.clients.resolve(clientId);
    } catch (error) {
      if (error instanceof OAuthError) return deny('unknown_client', error);
      throw error;
    }
    const redirectUri = params.redirect_uri ?? '';
    // Exact string comparison: no normalisation, no prefix, no trailing-slash leniency.
    if (!client.redirectUris.includes(redirectUri)) return deny('redirect_uri_mismatch', new InvalidRequestError('redirect_uri is not registered for this client.'));

    const state = params.state ?? '';
    const back = (reason: string, error: OAuthError): AuthorizeOutcome => {
      this.audit({ action: 'authorize', outcome: 'denied', clientId, reason });
      const body: Record<string, string> = { error: error.errorCode, error_description: error.message, iss: this.deps.settings.issuer };
      if (state !== '') body.state = state;
      return { kind: 'redirect', location: redirectWith(redirectUri, body) };
    };
    if (state === '' || state.length > MAX_STATE) return back('bad_state', new InvalidRequestError('state is required (at most 1024 characters).'));
    if (params.response_type !== 'code') return back('response_type', new UnsupportedResponseTypeError('Only response_type=code is supported.'));
    if (params.code_challenge_method !== 'S256') return back('pkce_method', new InvalidRequestError('PKCE with code_challenge_method=S256 is required; plain is refused.'));
    const challenge = params.code_challenge ?? '';
    if (!isValidCodeChallenge(challenge)) return back('pkce_challenge', new InvalidRequestError('code_challenge must be a base64url SHA-256 value.'));
    if (params.resource !== this.deps.settings.resource) return back('resource_mismatch', new InvalidTargetError(`resource must be ${this.deps.settings.resource}.`));
    const scopes = this.parseScopes(params.scope);
    if (scopes === null) return back('invalid_scope', new InvalidScopeError('Requested scope is not supported.'));

    const requestId = newSecret();
    const csrfToken = newSecret();
    await this.deps.grants.putPending(requestId, {
      clientId,
      redirectUri,
      state,
      codeChallenge: challenge,
      resource: params.resource,
      scopes,
      csrfToken,
      expiresAt: this.now() + this.deps.settings.pendingAuthorizationTtlMs,
    });
    return { kind: 'consent', requestId, csrfToken, client, scopes, redirectUri };
  }

  /**
   * The consent form's answer. CSRF: the form field and the cookie must both equal the token bound
   * to the pending request. Approval sends the browser to Entra with a fresh state and our own PKCE.
   */
  async decideConsent(input: { requestId: string; csrfToken: string; csrfCookie: string | undefined; approve: boolean }): Promise<{ location: string; bindingCookie?: string }> {
    const pending = await this.deps.grants.takePending(input.requestId);
    if (pending === null || input.csrfCookie === undefined || !safeEqual(pending.csrfToken, input.csrfToken) || !safeEqual(pending.csrfToken, input.csrfCookie)) {
      this.audit({ action: 'consent', outcome: 'denied', ...(pending === null ? {} : { clientId: pending.clientId }), reason: pending === null ? 'unknown_request' : 'csrf' });
      throw new InvalidRequestError('This consent request is invalid or has expired. Start again from your application.');
    }
    if (!input.approve) {
      this.audit({ action: 'consent', outcome: 'denied', clientId: pending.clientId, reason: 'user_declined' });
      return { location: redirectWith(pending.redirectUri, { error: 'access_denied', error_description: 'The user declined.', state: pending.state, iss: this.deps.settings.issuer }) };
    }
    const entraState = newSecret();
    const bindingCookie = newSecret();
    const start = await this.deps.identityProvider.beginSignIn({ state: entraState });
    await this.deps.grants.putPending(entraState, {
      ...pending,
      entraCodeVerifier: start.codeVerifier,
      browserBindingHash: hashSecret(bindingCookie),
      expiresAt: this.now() + this.deps.settings.pendingAuthorizationTtlMs,
    });
    this.audit({ action: 'consent', outcome: 'success', clientId: pending.clientId });
    return { location: start.url, bindingCookie };
  }

  /** Entra's redirect back to us. State is single-use and bound to the browser that approved. */
  async completeSignIn(params: Params, bindingCookie: string | undefined): Promise<{ location: string }> {
    const state = params.state ?? '';
    const pending = state === '' || state.length > MAX_PARAM ? null : await this.deps.grants.takePending(state);
    if (pending === null || pending.entraCodeVerifier === undefined) {
      this.audit({ action: 'sign_in', outcome: 'denied', reason: 'unknown_or_replayed_state' });
      throw new InvalidRequestError('Unknown or already used sign-in state. Start again from your application.');
    }
    if (bindingCookie === undefined || pending.browserBindingHash === undefined || !safeEqual(hashSecret(bindingCookie), pending.browserBindingHash)) {
      this.audit({ action: 'sign_in', outcome: 'denied', clientId: pending.clientId, reason: 'browser_binding' });
      throw new InvalidRequestError('This sign-in was started in another browser.');
    }
    const toClient = (extra: Record<string, string>): { location: string } => ({
      location: redirectWith(pending.redirectUri, { ...extra, state: pending.state, iss: this.deps.settings.issuer }),
    });
    if (params.error !== undefined || params.code === undefined) {
      this.audit({ action: 'sign_in', outcome: 'denied', clientId: pending.clientId, reason: `entra_${(params.error ?? 'no_code').slice(0, 40)}` });
      return toClient({ error: 'access_denied', error_description: 'Microsoft sign-in was not completed.' });
    }
    let signIn;
    try {
      signIn = await this.deps.identityProvider.completeSignIn({ code: params.code, codeVerifier: pending.entraCodeVerifier });
    } catch (error) {
      const category = isDomainError(error) ? error.category : 'internal';
      this.audit({ action: 'sign_in', outcome: 'failure', clientId: pending.clientId, reason: isDomainError(error) ? error.code : 'internal' });
      return toClient({ error: category === 'unavailable' ? 'temporarily_unavailable' : 'access_denied', error_description: 'Microsoft sign-in failed.' });
    }
    const { user } = signIn;
    const who = { tenantId: user.tenantId, actor: user.objectId, clientId: pending.clientId };
    const decision = decideTenant(this.deps.settings.tenantPolicy, user, pending.scopes);
    if (!decision.allowed) {
      this.audit({ action: 'sign_in', outcome: 'denied', ...who, reason: decision.reason });
      const description = {
        tenant_not_allowed: 'Your organization is not allowed to use this server.',
        admin_consent_required: 'An administrator of your organization must consent to this application first.',
        consent_missing: 'Not all requested permissions were granted.',
      }[decision.reason];
      return toClient({ error: 'access_denied', error_description: description });
    }
    await signIn.keepTokens();
    this.audit({ action: 'sign_in', outcome: 'success', ...who });
    const grant: Grant = {
      id: newSecret(),
      tenantId: user.tenantId,
      objectId: user.objectId,
      subject: user.subject,
      clientId: pending.clientId,
      scopes: pending.scopes,
      resource: pending.resource,
      createdAt: this.now(),
      expiresAt: this.now() + this.deps.settings.grantTtlMs,
    };
    await this.deps.grants.putGrant(grant);
    const code = newSecret();
    await this.deps.grants.putCode(hashSecret(code), {
      grantId: grant.id,
      clientId: pending.clientId,
      redirectUri: pending.redirectUri,
      codeChallenge: pending.codeChallenge,
      resource: pending.resource,
      expiresAt: this.now() + this.deps.settings.authorizationCodeTtlMs + this.deps.settings.clockSkewMs,
    });
    this.audit({ action: 'grant.create', outcome: 'success', ...who });
    return toClient({ code });
  }

  async token(params: Params): Promise<OAuthTokens> {
    const clientId = params.client_id ?? '';
    if (clientId === '') throw this.tokenDenied('missing_client', '', new InvalidClientError('client_id is required (public clients).'));
    if (params.client_secret !== undefined) throw this.tokenDenied('client_secret', clientId, new InvalidClientError('This server only has public clients; do not send a secret.'));
    if (params.grant_type === 'authorization_code') return this.redeemCode(clientId, params);
    if (params.grant_type === 'refresh_token') return this.refresh(clientId, params);
    throw this.tokenDenied('grant_type', clientId, new UnsupportedGrantTypeError('Only authorization_code and refresh_token.'));
  }

  private async redeemCode(clientId: string, params: Params): Promise<OAuthTokens> {
    const code = params.code ?? '';
    // Taking the code deletes it: a replay finds nothing.
    const record = code === '' ? null : await this.deps.grants.takeCode(hashSecret(code));
    if (record === null) throw this.tokenDenied('code_invalid_or_replayed', clientId, new InvalidGrantError('Authorization code is invalid, expired or already used.'));
    if (record.clientId !== clientId) throw this.tokenDenied('code_client_mismatch', clientId, new InvalidGrantError('Authorization code was issued to another client.'));
    if (params.redirect_uri !== record.redirectUri) throw this.tokenDenied('code_redirect_mismatch', clientId, new InvalidGrantError('redirect_uri does not match the authorization request.'));
    if (params.resource !== undefined && params.resource !== record.resource) throw this.tokenDenied('resource_mismatch', clientId, new InvalidTargetError('resource does not match the authorization request.'));
    if (!verifyPkce(params.code_verifier ?? '', record.codeChallenge)) {
      // The code is burnt and so is its grant: a wrong verifier means someone else holds the code.
      await this.deps.grants.revokeGrant(record.grantId);
      throw this.tokenDenied('pkce_verifier', clientId, new InvalidGrantError('PKCE verification failed.'));
    }
    const grant = await this.deps.grants.getGrant(record.grantId);
    if (grant === null) throw this.tokenDenied('grant_gone', clientId, new InvalidGrantError('The authorization was revoked.'));
    return this.issue(grant, grant.scopes, 'token.issue');
  }

  private async refresh(clientId: string, params: Params): Promise<OAuthTokens> {
    const presented = params.refresh_token ?? '';
    const use = presented === '' ? null : await this.deps.grants.useRefreshToken(hashSecret(presented));
    if (use === null) throw this.tokenDenied('refresh_token_invalid', clientId, new InvalidGrantError('Refresh token is invalid or expired.'));
    const grant = await this.deps.grants.getGrant(use.record.grantId);
    if (use.status === 'reused') {
      // Rotation reuse: the token leaked or was stolen. Kill the whole grant (OAuth 2.1 §4.3.1).
      await this.deps.grants.revokeGrant(use.record.grantId);
      this.audit({ action: 'grant.revoke', outcome: 'success', ...(grant === null ? {} : { tenantId: grant.tenantId, actor: grant.objectId }), clientId, reason: 'refresh_token_reuse' });
      throw this.tokenDenied('refresh_token_reuse', clientId, new InvalidGrantError('Refresh token was already used; the authorization has been revoked.'));
    }
    if (grant === null) throw this.tokenDenied('grant_gone', clientId, new InvalidGrantError('The authorization was revoked.'));
    if (grant.clientId !== clientId) throw this.tokenDenied('refresh_client_mismatch', clientId, new InvalidGrantError('Refresh token was issued to another client.'));
    if (params.resource !== undefined && params.resource !== grant.resource) throw this.tokenDenied('resource_mismatch', clientId, new InvalidTargetError('resource does not match the grant.'));
    if (!tenantAllowed(this.deps.settings.tenantPolicy, grant.tenantId)) {
      await this.deps.grants.revokeGrant(grant.id);
      throw this.tokenDenied('tenant_not_allowed', clientId, new InvalidGrantError('Your organization is no longer allowed.'));
    }
    let scopes = grant.scopes;
    if (params.scope !== undefined) {
      const requested = this.parseScopes(params.scope);
      // Narrowing is allowed, widening never.
      if (requested === null || requested.some((s) => !grant.scopes.includes(s))) throw this.tokenDenied('invalid_scope', clientId, new InvalidScopeError('Refresh may not widen the granted scope.'));
      scopes = requested;
    }
    return this.issue(grant, scopes, 'token.refresh');
  }

  private async issue(grant: Grant, scopes: string[], action: string): Promise<OAuthTokens> {
    const { accessTokenTtlMs, refreshTokenTtlMs, clockSkewMs } = this.deps.settings;
    const now = this.now();
    const accessToken = newSecret();
    const refreshToken = newSecret();
    await this.deps.grants.putAccessToken(hashSecret(accessToken), {
      grantId: grant.id,
      tenantId: grant.tenantId,
      objectId: grant.objectId,
      subject: grant.subject,
      clientId: grant.clientId,
      scopes,
      resource: grant.resource,
      // Stored with the skew allowance so a replica whose clock runs ahead still honours it.
      expiresAt: now + accessTokenTtlMs + clockSkewMs,
    });
    await this.deps.grants.putRefreshToken(hashSecret(refreshToken), { grantId: grant.id, expiresAt: Math.min(now + refreshTokenTtlMs, grant.expiresAt) });
    this.audit({ action, outcome: 'success', tenantId: grant.tenantId, actor: grant.objectId, clientId: grant.clientId });
    return { access_token: accessToken, token_type: 'Bearer', expires_in: Math.floor(accessTokenTtlMs / 1000), refresh_token: refreshToken, scope: scopes.join(' ') };
  }

  /** RFC 7009: always succeeds for the caller; only the owning client's tokens are affected. */
  async revoke(params: Params): Promise<void> {
    const token = params.token ?? '';
    const clientId = params.client_id ?? '';
    if (token === '' || clientId === '') throw new InvalidRequestError('token and client_id are required.');
    const hash = hashSecret(token);
    const access = await this.deps.grants.getAccessToken(hash);
    if (access !== null) {
      if (access.clientId !== clientId) return this.audit({ action: 'token.revoke', outcome: 'denied', clientId, reason: 'client_mismatch' });
      await this.deps.grants.deleteAccessToken(hash);
      return this.audit({ action: 'token.revoke', outcome: 'success', tenantId: access.tenantId, actor: access.objectId, clientId });
    }
    const refresh = await this.deps.grants.useRefreshToken(hash);
    if (refresh === null) return;
    const grant = await this.deps.grants.getGrant(refresh.record.grantId);
    if (grant === null) return;
    if (grant.clientId !== clientId) return this.audit({ action: 'token.revoke', outcome: 'denied', clientId, reason: 'client_mismatch' });
    // Revoking a refresh token ends the grant and every access token issued under it.
    await this.deps.grants.revokeGrant(grant.id);
    this.audit({ action: 'grant.revoke', outcome: 'success', tenantId: grant.tenantId, actor: grant.objectId, clientId, reason: 'client_revocation' });
  }

  /** Resource server check: known, unexpired (with skew), ours (audience) and of an allowed tenant. */
  async verifyAccessToken(token: string): Promise<AccessTokenRecord | null> {
    if (token.length === 0 || token.length > 512) return null;
    const record = await this.deps.grants.getAccessToken(hashSecret(token));
    if (record === null) {
      this.audit({ action: 'token.verify', outcome: 'denied', reason: 'unknown_or_expired' });
      return null;
    }
    if (record.resource !== this.deps.settings.resource) {
      this.audit({ action: 'token.verify', outcome: 'denied', tenantId: record.tenantId, actor: record.objectId, clientId: record.clientId, reason: 'audience_mismatch' });
      return null;
    }
    if (!tenantAllowed(this.deps.settings.tenantPolicy, record.tenantId)) {
      this.audit({ action: 'token.verify', outcome: 'denied', tenantId: record.tenantId, actor: record.objectId, clientId: record.clientId, reason: 'tenant_not_allowed' });
      return null;
    }
    return record;
  }

  private parseScopes(scope: string | undefined): string[] | null {
    const supported = this.deps.settings.scopesSupported;
    if (scope === undefined || scope.trim() === '') return [...supported];
    if (scope.length > MAX_PARAM) return null;
    const requested = [...new Set(scope.split(' ').filter(Boolean))];
    return requested.every((s) => supported.includes(s)) ? requested : null;
  }

  private tokenDenied(reason: string, clientId: string, error: OAuthError): OAuthError {
    this.audit({ action: 'token', outcome: 'denied', clientId: clientId.slice(0, 200), reason });
    return error;
  }
}
