import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import type { Context } from 'hono';
import { html } from 'hono/html';
import { IdentityControls } from './identity-controls.js';
import type { TokenRequestRecord } from './identity-controls.js';
import type { GraphTokenMinter, IdentityApp, IdentityTenant, IdentityUser } from './identity-directory.js';
import { SigningKey } from './signing-key.js';

/**
 * An Entra-compatible identity provider for the sandbox: v2.0 OpenID configuration, authorize (with
 * a sign-in page and a headless POST approve), token (authorization_code with PKCE, rotating
 * refresh tokens), JWKS and instance discovery. MSAL runs against it unmodified over HTTP.
 */
export interface SandboxIdentityOptions {
  /** The https origin MSAL sees (e.g. https://login.sandbox.test); a network client maps it to this server. */
  publicOrigin: string;
  tenants: readonly IdentityTenant[];
  users: readonly IdentityUser[];
  apps: readonly IdentityApp[];
  mintGraphToken: GraphTokenMinter;
  /** Old refresh tokens stop working once rotated (stricter than Entra; proves the rotated one is persisted). */
  invalidateRotatedRefreshTokens?: boolean;
  refreshTokenLifetimeSeconds?: number;
  now?: () => number;
}

export interface SandboxIdentityProvider {
  app: Hono;
  controls: IdentityControls;
}

interface IssuedCode {
  clientId: string;
  redirectUri: string;
  user: IdentityUser;
  scopes: string[];
  codeChallenge: string | undefined;
  nonce: string | undefined;
  expiresAt: number;
}

interface IssuedRefresh {
  clientId: string;
  user: IdentityUser;
  scopes: string[];
  expiresAt: number;
  rotated: boolean;
}

const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);
const CODE_TTL_MS = 5 * 60_000;

function entraError(c: Context, status: 400 | 401 | 503, error: string, aadsts: number, description: string): Response {
  return c.json(
    {
      error,
      error_description: `AADSTS${aadsts}: ${description}`,
      error_codes: [aadsts],
      timestamp: new Date().toISOString(),
      trace_id: randomBytes(8).toString('hex'),
      correlation_id: randomBytes(8).toString('hex'),
    },
    status,
  );
}

function secretEquals(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function createSandboxIdentityProvider(options: SandboxIdentityOptions): Promise<SandboxIdentityProvider> {
  const key = await SigningKey.generate();
  const controls = new IdentityControls();
  const now = options.now ?? Date.now;
  const origin = options.publicOrigin.replace(/\/$/, '');
  const codes = new Map<string, IssuedCode>();
  const refreshTokens = new Map<string, IssuedRefresh>();
  const refreshLifetimeMs = (options.refreshTokenLifetimeSeconds ?? 90 * 24 * 3600) * 1000;
  const app = new Hono();

  const tenantFor = (path: string): IdentityTenant | 'any' | undefined => {
    if (path === 'common' || path === 'organizations') return 'any';
    return options.tenants.find((t) => t.id === path || t.domain === path);
  };
  const appFor = (clientId: string | undefined): IdentityApp | undefined => options.apps.find((a) => a.clientId === clientId);

  app.get('/common/discovery/instance', (c) => {
    const host = new URL(origin).host;
    return c.json({
      tenant_discovery_endpoint: `${origin}/common/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    });
  });

  app.get('/:tenant/v2.0/.well-known/openid-configuration', (c) => {
    const path = c.req.param('tenant');
    const tenant = tenantFor(path);
    if (tenant === undefined) return entraError(c, 400, 'invalid_tenant', 90002, `Tenant '${path}' not found.`);
    const issuerTenant = tenant === 'any' ? '{tenantid}' : tenant.id;
    return c.json({
      issuer: `${origin}/${issuerTenant}/v2.0`,
      authorization_endpoint: `${origin}/${path}/oauth2/v2.0/authorize`,
      token_endpoint: `${origin}/${path}/oauth2/v2.0/token`,
      end_session_endpoint: `${origin}/${path}/oauth2/v2.0/logout`,
      jwks_uri: `${origin}/${path}/discovery/v2.0/keys`,
      response_types_supported: ['code', 'id_token', 'code id_token'],
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      code_challenge_methods_supported: ['S256'],
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nonce', 'name', 'preferred_username', 'oid', 'tid', 'ver'],
      tenant_region_scope: null,
      cloud_instance_name: new URL(origin).host,
    });
  });

  app.get('/:tenant/discovery/v2.0/keys', (c) => c.json({ keys: [key.publicJwk] }));

  /** Validates the authorize query; returns an error response or the parsed request. */
  const readAuthorize = (c: Context, params: URLSearchParams) => {
    const tenantPath = c.req.param('tenant') ?? '';
    const tenant = tenantFor(tenantPath);
    const client = appFor(params.get('client_id') ?? undefined);
    const redirectUri = params.get('redirect_uri') ?? '';
    if (tenant === undefined) return { error: entraError(c, 400, 'invalid_tenant', 90002, 'Tenant not found.') };
    if (client === undefined) return { error: entraError(c, 400, 'unauthorized_client', 700016, 'Application not found in the directory.') };
    if (!client.redirectUris.includes(redirectUri)) {
      return { error: entraError(c, 400, 'invalid_request', 50011, 'The redirect URI does not match the redirect URIs configured for the application.') };
    }
    if (params.get('response_type') !== 'code') return { error: entraError(c, 400, 'unsupported_response_type', 70000, 'Only response_type=code.') };
    const method = params.get('code_challenge_method') ?? undefined;
    if (params.get('code_challenge') !== null && method !== 'S256') {
      return { error: entraError(c, 400, 'invalid_request', 70000, 'Only S256 code challenges.') };
    }
    const scopes = (params.get('scope') ?? '').split(' ').filter(Boolean);
    return { tenant, tenantPath, client, redirectUri, scopes, method };
  };

  app.get('/:tenant/oauth2/v2.0/authorize', async (c) => {
    const params = new URL(c.req.url).searchParams;
    const req = readAuthorize(c, params);
    if ('error' in req) return req.error;
    const candidates = options.users.filter((u) => req.tenant === 'any' || u.tenantId === req.tenant.id);
    c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'");
    const page = await html`<!doctype html><html><head><title>Sandbox sign-in</title></head><body>
<h1>Sandbox sign-in</h1><p>Pick a demo user. Nothing here is a real account.</p>
<form method="post"><select name="user">${candidates.map((u) => html`<option value="${u.userPrincipalName}">${u.displayName} (${u.userPrincipalName})</option>`)}</select>
<button type="submit">Sign in and accept</button></form></body></html>`;
    return c.html(page);
  });

  /** The approve step: a browser submits the form above; tests and the quick start POST `user=<upn>` headlessly. */
  app.post('/:tenant/oauth2/v2.0/authorize', async (c) => {
    const params = new URL(c.req.url).searchParams;
    const req = readAuthorize(c, params);
    if ('error' in req) return req.error;
    const form = await c.req.parseBody();
    const login = typeof form.user === 'string' ? form.user.toLowerCase() : '';
    const user = options.users.find((u) => u.userPrincipalName.toLowerCase() === login || u.id === login);
    if (user === undefined || (req.tenant !== 'any' && user.tenantId !== req.tenant.id)) {
      return entraError(c, 400, 'invalid_request', 50034, 'The user account does not exist in this directory.');
    }
    controls.authorizeRequests.push({ tenantPath: req.tenantPath, scopes: req.scopes, codeChallengeMethod: req.method, redirectUri: req.redirectUri });
    // `grant` narrows what the user consents to, to simulate partial consent.
    const granted = typeof form.grant === 'string' ? form.grant.split(' ').filter(Boolean) : req.scopes;
    const code = randomBytes(24).toString('base64url');
    codes.set(code, {
      clientId: req.client.clientId,
      redirectUri: req.redirectUri,
      user,
      scopes: granted,
      codeChallenge: params.get('code_challenge') ?? undefined,
      nonce: params.get('nonce') ?? undefined,
      expiresAt: now() + CODE_TTL_MS,
    });
    const target = new URL(req.redirectUri);
    target.searchParams.set('code', code);
    const state = params.get('state');
    if (state !== null) target.searchParams.set('state', state);
    target.searchParams.set('client_info', clientInfo(user));
    return c.redirect(target.toString(), 302);
  });

  const clientInfo = (user: IdentityUser): string =>
    Buffer.from(JSON.stringify({ uid: user.id, utid: user.tenantId })).toString('base64url');

  const issueTokens = async (c: Context, clientId: string, user: IdentityUser, requested: string[], nonce: string | undefined) => {
    const graphScopes = requested.filter((s) => !OIDC_SCOPES.has(s.toLowerCase()));
    const lifetime = controls.accessTokenLifetimeSeconds;
    const issuedAt = Math.floor(now() / 1000);
    const refreshToken = randomBytes(32).toString('base64url');
    refreshTokens.set(refreshToken, { clientId, user, scopes: requested, expiresAt: now() + refreshLifetimeMs, rotated: false });
    const idToken = await key.sign({
      iss: `${origin}/${user.tenantId}/v2.0`,
      aud: clientId,
      // Entra's sub is pairwise per application.
      sub: createHash('sha256').update(`${user.id}:${clientId}`).digest('base64url').slice(0, 43),
      oid: user.id,
      tid: user.tenantId,
      name: user.displayName,
      preferred_username: user.userPrincipalName,
      ver: '2.0',
      iat: issuedAt,
      nbf: issuedAt,
      exp: issuedAt + 3600,
      ...(nonce === undefined ? {} : { nonce }),
    });
    if (controls.tokenLatencyMs > 0) await new Promise((r) => setTimeout(r, controls.tokenLatencyMs));
    return c.json({
      token_type: 'Bearer',
      scope: graphScopes.join(' '),
      expires_in: lifetime,
      ext_expires_in: lifetime,
      access_token: options.mintGraphToken({ tenantId: user.tenantId, userId: user.id, scopes: graphScopes, expiresAt: now() + lifetime * 1000 }),
      refresh_token: refreshToken,
      id_token: idToken,
      client_info: clientInfo(user),
    });
  };

  app.post('/:tenant/oauth2/v2.0/token', async (c) => {
    const form = await c.req.parseBody();
    const field = (name: string): string | undefined => (typeof form[name] === 'string' ? (form[name] as string) : undefined);
    const grantType = field('grant_type') ?? '';
    const scopes = (field('scope') ?? '').split(' ').filter(Boolean);
    const record = (outcome: TokenRequestRecord['outcome'], user?: IdentityUser): void => {
      controls.tokenRequests.push({ grantType, scopes, outcome, ...(user === undefined ? {} : { tenantId: user.tenantId, userId: user.id }) });
    };
    if (controls.takeOutage()) {
      record('unavailable');
      return entraError(c, 503, 'temporarily_unavailable', 90006, 'The service is temporarily unavailable.');
    }
    const client = appFor(field('client_id'));
    if (client === undefined || !secretEquals(field('client_secret') ?? '', client.clientSecret)) {
      record('invalid_client');
      return entraError(c, 401, 'invalid_client', 7000215, 'Invalid client secret provided.');
    }

    if (grantType === 'authorization_code') {
      const code = codes.get(field('code') ?? '');
      codes.delete(field('code') ?? '');
      if (code === undefined || code.expiresAt <= now() || code.clientId !== client.clientId || code.redirectUri !== field('redirect_uri')) {
        record('invalid_grant');
        return entraError(c, 400, 'invalid_grant', 70008, 'The provided authorization code is invalid or has expired.');
      }
      if (code.codeChallenge !== undefined) {
        const verifier = field('code_verifier') ?? '';
        if (createHash('sha256').update(verifier).digest('base64url') !== code.codeChallenge) {
          record('invalid_grant', code.user);
          return entraError(c, 400, 'invalid_grant', 501481, 'The Code_Verifier does not match the code_challenge supplied in the authorization request.');
        }
      }
      record('issued', code.user);
      return issueTokens(c, client.clientId, code.user, code.scopes, code.nonce);
    }

    if (grantType === 'refresh_token') {
      const presented = field('refresh_token') ?? '';
      const stored = refreshTokens.get(presented);
      if (stored === undefined || stored.expiresAt <= now() || stored.clientId !== client.clientId || stored.rotated) {
        record('invalid_grant', stored?.user);
        return entraError(c, 400, 'invalid_grant', 70008, 'The refresh token has expired or is invalid.');
      }
      if (controls.isRevoked(stored.user.tenantId, stored.user.id)) {
        record('invalid_grant', stored.user);
        return entraError(c, 400, 'invalid_grant', 50173, 'The provided grant has expired due to it being revoked.');
      }
      // Never more than the user consented to at sign-in.
      const allowed = new Set(stored.scopes.map((s) => s.toLowerCase()));
      const requested = scopes.length === 0 ? stored.scopes : scopes;
      if (requested.some((s) => !allowed.has(s.toLowerCase()) && !OIDC_SCOPES.has(s.toLowerCase()))) {
        record('invalid_grant', stored.user);
        return entraError(c, 400, 'invalid_grant', 65001, 'The user has not consented to use the application with the requested scopes.');
      }
      if (options.invalidateRotatedRefreshTokens ?? true) stored.rotated = true;
      record('issued', stored.user);
      return issueTokens(c, client.clientId, stored.user, requested, undefined);
    }

    record('invalid_request');
    return entraError(c, 400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
  });

  return { app, controls };
}
