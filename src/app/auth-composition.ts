import type { Hono } from 'hono';
import { EntraGraphTokenProvider } from '../adapters/entra/entra-graph-token-provider.js';
import type { EntraSettings } from '../adapters/entra/entra-settings.js';
import { MsalApplications } from '../adapters/entra/msal-applications.js';
import { MsalIdentityProvider } from '../adapters/entra/msal-identity-provider.js';
import { AuthorizationServer } from '../adapters/oauth/authorization-server.js';
import { ClientRegistry } from '../adapters/oauth/client-registry.js';
import { OAuthAuthenticator } from '../adapters/oauth/oauth-authenticator.js';
import { createOAuthRoutes } from '../adapters/oauth/oauth-routes.js';
import type { OAuthServerSettings } from '../adapters/oauth/oauth-settings.js';
import { SessionBinding } from '../domain/session-binding.js';
import { GetAuthStatus } from '../domain/use-cases/get-auth-status.js';
import { LogOut } from '../domain/use-cases/log-out.js';
import { RevokeUserAccess } from '../domain/use-cases/revoke-user-access.js';
import { purgeUserAccess } from '../domain/user-access.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { Clock } from '../ports/clock.js';
import type { Encryptor } from '../ports/encryptor.js';
import type { GrantStore } from '../ports/grant-store.js';
import type { Lock } from '../ports/lock.js';
import type { Logger } from '../ports/logger.js';
import type { OAuthClientStore } from '../ports/oauth-client-store.js';
import type { SessionStore } from '../ports/session-store.js';
import type { TokenStore } from '../ports/token-store.js';
import type { AuthConfig } from './config.js';

export interface AuthStores {
  tokens: TokenStore;
  sessions: SessionStore;
  grants: GrantStore;
  clients: OAuthClientStore;
  lock: Lock;
  encryptor: Encryptor;
}

export interface AuthCompositionInput {
  auth: AuthConfig;
  entra: EntraSettings;
  /** Our public origin (issuer); the MCP resource is `${publicBaseUrl}/mcp`. */
  publicBaseUrl: string;
  stores: AuthStores;
  clock: Clock;
  audit: AuditLog;
  logger?: Logger;
}

/** Everything the edge and the tools need from authentication, built from configuration and stores. */
export interface AuthComposition {
  authenticator: OAuthAuthenticator;
  routes: Hono;
  graphTokenProvider: EntraGraphTokenProvider;
  sessionBinding: SessionBinding;
  getAuthStatus: GetAuthStatus;
  logOut: LogOut;
  revokeUserAccess: RevokeUserAccess;
}

/** Part of the composition root (called by container.ts and by tests that mirror it). */
export function composeAuth(input: AuthCompositionInput): AuthComposition {
  const { auth, entra, stores, clock, audit, logger } = input;
  const issuer = input.publicBaseUrl.replace(/\/$/, '');
  const settings: OAuthServerSettings = {
    issuer,
    resource: `${issuer}/mcp`,
    scopesSupported: auth.scopes,
    accessTokenTtlMs: auth.accessTokenTtlMs,
    refreshTokenTtlMs: auth.refreshTokenTtlMs,
    grantTtlMs: auth.grantTtlMs,
    authorizationCodeTtlMs: auth.codeTtlMs,
    pendingAuthorizationTtlMs: auth.pendingTtlMs,
    clockSkewMs: auth.clockSkewMs,
    dynamicRegistration: auth.dynamicRegistration,
    dynamicClientTtlMs: auth.dynamicClientTtlMs,
    clientMetadataDocuments: auth.clientMetadataDocuments,
    metadataFetch: auth.metadataFetch,
    preregisteredClients: auth.preregisteredClients,
    tenantPolicy: auth.tenantPolicy,
    signInOrigin: new URL(entra.rewriteAuthorityTo ?? entra.authorityHost).origin,
    secureCookies: auth.secureCookies,
    maxBodyBytes: auth.maxBodyBytes,
  };
  const loginUrl = `${issuer}/authorize`;
  const custody = { tokenStore: stores.tokens, encryptor: stores.encryptor, clock, custodyTtlMs: auth.custodyTtlMs };
  const applications = new MsalApplications(entra, logger);
  const identityProvider = new MsalIdentityProvider(entra, applications, custody, loginUrl);
  const clients = new ClientRegistry(settings, stores.clients, clock, audit);
  const server = new AuthorizationServer({ settings, clients, grants: stores.grants, identityProvider, clock, audit });
  const accessStores = { grants: stores.grants, sessions: stores.sessions, tokens: stores.tokens };
  const provider: EntraGraphTokenProvider = new EntraGraphTokenProvider({
    applications,
    custody,
    lock: stores.lock,
    auditLog: audit,
    graphScopes: auth.scopes,
    policy: auth.refresh,
    loginUrl,
    ...(logger === undefined ? {} : { logger }),
    // A dead Microsoft sign-in ends our grants too, so the client gets 401 and re-runs OAuth.
    onSignInRequired: async (user) => {
      const result = await purgeUserAccess({ ...accessStores, graphTokenCache: provider }, user.tenantId, user.objectId);
      audit.record({ action: 'grant.revoke', outcome: 'success', tenantId: user.tenantId, actor: user.objectId, reason: `microsoft_sign_in_dead:${result.grantsRevoked}` });
    },
  });
  return {
    authenticator: new OAuthAuthenticator(server, settings),
    routes: createOAuthRoutes({ settings, server, clients, audit, ...(logger === undefined ? {} : { logger }) }),
    graphTokenProvider: provider,
    sessionBinding: new SessionBinding(stores.sessions, audit, clock, { ttlMs: auth.sessionTtlMs, clockSkewMs: auth.clockSkewMs }),
    getAuthStatus: new GetAuthStatus(stores.tokens),
    logOut: new LogOut(stores.grants, stores.sessions, stores.tokens, provider, audit),
    revokeUserAccess: new RevokeUserAccess(stores.grants, stores.sessions, stores.tokens, provider, audit),
  };
}
