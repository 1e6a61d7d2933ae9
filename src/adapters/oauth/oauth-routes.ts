import { Hono } from 'hono';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie, setCookie } from 'hono/cookie';
import { InvalidRequestError, OAuthError, ServerError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import { isDomainError } from '../../domain/errors.js';
import type { AuditLog } from '../../ports/audit-log.js';
import type { Logger } from '../../ports/logger.js';
import type { AuthorizationServer, Params } from './authorization-server.js';
import type { ClientRegistry } from './client-registry.js';
import { renderConsentPage, renderErrorPage } from './consent-page.js';
import { authorizationServerMetadata, protectedResourceMetadata, protectedResourceMetadataUrl } from './oauth-metadata.js';
import type { OAuthServerSettings } from './oauth-settings.js';

export interface OAuthRoutesDeps {
  settings: OAuthServerSettings;
  server: AuthorizationServer;
  clients: ClientRegistry;
  audit: AuditLog;
  logger?: Logger;
}

const CSRF_COOKIE = 'mcp_consent';
const BINDING_COOKIE = 'mcp_signin';

/** Parameters of a query or form; a parameter given twice is malformed (RFC 6749 §3.1). */
function single(entries: Iterable<[string, string]>): Params {
  const out: Params = {};
  for (const [key, value] of entries) {
    if (key in out) throw new InvalidRequestError(`Parameter ${key} is repeated.`);
    out[key] = value;
  }
  return out;
}

async function formParams(c: Context): Promise<Params> {
  const type = c.req.header('content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) throw new InvalidRequestError('Expected application/x-www-form-urlencoded.');
  return single(new URLSearchParams(await c.req.text()));
}

function queryParams(c: Context): Params {
  return single(new URL(c.req.url).searchParams);
}

function htmlHeaders(c: Context, formTargets: string[] = []): void {
  c.header('Content-Security-Policy', `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${formTargets.join(' ')}; frame-ancestors 'none'; base-uri 'none'`);
  c.header('X-Frame-Options', 'DENY');
  c.header('Referrer-Policy', 'no-referrer');
  c.header('Cache-Control', 'no-store');
  c.header('X-Content-Type-Options', 'nosniff');
}

/**
 * The OAuth endpoints as a Hono sub-app, mounted at the root of the edge: metadata, /register,
 * /authorize (+ consent), /oauth/callback (Entra), /token and /revoke.
 */
export function createOAuthRoutes(deps: OAuthRoutesDeps): Hono {
  const { settings, server } = deps;
  const app = new Hono();
  const cookieOptions = settings.secureCookies ? ({ secure: true, prefix: 'host' } as const) : ({ secure: false } as const);
  const cookiePrefix = settings.secureCookies ? ('host' as const) : undefined;

  app.onError((error, c) => {
    if (error instanceof OAuthError) {
      c.header('Cache-Control', 'no-store');
      return c.json(error.toResponseObject(), error.errorCode === 'invalid_client' ? 401 : 400);
    }
    deps.logger?.error('oauth endpoint failed', { path: c.req.path, error: error instanceof Error ? error.name : 'unknown' });
    return c.json(new ServerError('Internal error.').toResponseObject(), 500);
  });

  const limit = bodyLimit({
    maxSize: settings.maxBodyBytes,
    onError: (c) => {
      deps.audit.record({ action: 'oauth.request', outcome: 'denied', reason: 'body_too_large' });
      return c.json({ error: 'invalid_request', error_description: `Request body exceeds ${settings.maxBodyBytes} bytes.` }, 413);
    },
  });

  const resourceMetadataPath = new URL(protectedResourceMetadataUrl(settings)).pathname;
  app.get('/.well-known/oauth-authorization-server', (c) => c.json(authorizationServerMetadata(settings)));
  app.get('/.well-known/oauth-protected-resource', (c) => c.json(protectedResourceMetadata(settings)));
  if (resourceMetadataPath !== '/.well-known/oauth-protected-resource') app.get(resourceMetadataPath, (c) => c.json(protectedResourceMetadata(settings)));

  app.post('/register', limit, async (c) => {
    if (!settings.dynamicRegistration) return c.json({ error: 'invalid_request', error_description: 'Dynamic client registration is disabled.' }, 404);
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new InvalidRequestError('Body must be JSON.');
    }
    return c.json(await deps.clients.register(body), 201);
  });

  app.get('/authorize', async (c) => {
    let outcome;
    try {
      outcome = await server.authorize(queryParams(c));
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      outcome = { kind: 'error_page' as const, error };
    }
    if (outcome.kind === 'error_page') {
      htmlHeaders(c);
      return c.html(await renderErrorPage(outcome.error.message), 400);
    }
    if (outcome.kind === 'redirect') return c.redirect(outcome.location, 302);
    setCookie(c, CSRF_COOKIE, outcome.csrfToken, { ...cookieOptions, httpOnly: true, sameSite: 'Strict', path: '/', maxAge: Math.floor(settings.pendingAuthorizationTtlMs / 1000) });
    htmlHeaders(c, [settings.signInOrigin, new URL(outcome.redirectUri).origin]);
    return c.html(await renderConsentPage(outcome));
  });

  app.post('/authorize/consent', limit, async (c) => {
    htmlHeaders(c);
    try {
      const form = await formParams(c);
      const result = await server.decideConsent({
        requestId: form.request ?? '',
        csrfToken: form.csrf ?? '',
        csrfCookie: getCookie(c, CSRF_COOKIE, cookiePrefix),
        approve: form.decision === 'approve',
      });
      if (result.bindingCookie !== undefined) {
        // Lax: the cookie must come back on Entra's top-level redirect to our callback.
        setCookie(c, BINDING_COOKIE, result.bindingCookie, { ...cookieOptions, httpOnly: true, sameSite: 'Lax', path: '/', maxAge: Math.floor(settings.pendingAuthorizationTtlMs / 1000) });
      }
      return c.redirect(result.location, 302);
    } catch (error) {
      if (isDomainError(error) && error.retryable) {
        deps.audit.record({ action: 'consent', outcome: 'failure', reason: error.code });
        return c.html(await renderErrorPage('Microsoft sign-in is unreachable right now. Try again in a moment.'), 503);
      }
      if (!(error instanceof OAuthError)) throw error;
      return c.html(await renderErrorPage(error.message), 400);
    }
  });

  app.get('/oauth/callback', async (c) => {
    htmlHeaders(c);
    try {
      const result = await server.completeSignIn(queryParams(c), getCookie(c, BINDING_COOKIE, cookiePrefix));
      return c.redirect(result.location, 302);
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      return c.html(await renderErrorPage(error.message), 400);
    }
  });

  app.post('/token', limit, async (c) => {
    const tokens = await server.token(await formParams(c));
    c.header('Cache-Control', 'no-store');
    c.header('Pragma', 'no-cache');
    return c.json(tokens);
  });

  app.post('/revoke', limit, async (c) => {
    await server.revoke(await formParams(c));
    return c.body(null, 200);
  });

  return app;
}
