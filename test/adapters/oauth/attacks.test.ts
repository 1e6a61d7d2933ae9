import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthorizationServer } from '../../../src/adapters/oauth/authorization-server.js';
import { ClientRegistry } from '../../../src/adapters/oauth/client-registry.js';
import { startAuthHarness } from '../../support/auth-harness.js';
import type { AuthHarness } from '../../support/auth-harness.js';
import { HeadlessBrowser, consentFields, location } from '../../support/headless-browser.js';
import { CLIENT_REDIRECT } from '../../support/mcp-oauth-client.js';
import { authorizeAndSignIn, authorizeUrl, callMcp, goodParams, obtainTokens, pkcePair, registeredClientId, tokenRequest } from '../../support/oauth-flow.js';
import { ALEX, MEGAN } from '../../support/sandbox-idp.js';

let h: AuthHarness;
beforeAll(async () => {
  h = await startAuthHarness();
});
afterAll(async () => {
  await h.close();
});

const denied = (action: string, reason: string): boolean => h.world.audit.events.some((e) => e.action === action && e.outcome === 'denied' && e.reason === reason);

async function authorizeExpectingRedirectError(params: Record<string, string | undefined>): Promise<URL> {
  const response = await fetch(authorizeUrl(h, params), { redirect: 'manual' });
  expect(response.status).toBe(302);
  return new URL(location(response));
}

describe('/authorize rejects', () => {
  it.each([
    ['plain PKCE', { code_challenge_method: 'plain' }, 'invalid_request', 'pkce_method'],
    ['missing PKCE', { code_challenge: undefined, code_challenge_method: undefined }, 'invalid_request', 'pkce_method'],
    ['a malformed challenge', { code_challenge: 'short' }, 'invalid_request', 'pkce_challenge'],
    ['a token for another resource', { resource: 'https://evil.example/mcp' }, 'invalid_target', 'resource_mismatch'],
    ['a missing resource', { resource: undefined }, 'invalid_target', 'resource_mismatch'],
    ['a missing state', { state: undefined }, 'invalid_request', 'bad_state'],
    ['an unsupported scope', { scope: 'Mail.Send' }, 'invalid_scope', 'invalid_scope'],
    ['response_type token', { response_type: 'token' }, 'unsupported_response_type', 'response_type'],
  ])('%s, redirecting the error to the verified client', async (_name, change, error, reason) => {
    const clientId = await registeredClientId(h);
    const target = await authorizeExpectingRedirectError({ ...goodParams(clientId, pkcePair().challenge), resource: h.settings.resource, ...change });
    expect(`${target.origin}${target.pathname}`).toBe(CLIENT_REDIRECT);
    expect(target.searchParams.get('error')).toBe(error);
    expect(target.searchParams.get('code')).toBeNull();
    expect(denied('authorize', reason)).toBe(true);
  });

  it.each([
    ['not registered', 'https://attacker.example/callback'],
    ['differing by one character', CLIENT_REDIRECT.replace('callback', 'callbacc')],
    ['with a trailing slash', `${CLIENT_REDIRECT}/`],
    ['with an extra query', `${CLIENT_REDIRECT}?x=1`],
  ])('a redirect URI %s, without redirecting anywhere', async (_name, redirectUri) => {
    const clientId = await registeredClientId(h);
    const response = await fetch(authorizeUrl(h, { ...goodParams(clientId, pkcePair().challenge), resource: h.settings.resource, redirect_uri: redirectUri }), { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(denied('authorize', 'redirect_uri_mismatch')).toBe(true);
  });

  it('an unknown client and repeated parameters', async () => {
    const unknown = await fetch(authorizeUrl(h, { ...goodParams('nope', pkcePair().challenge), resource: h.settings.resource }), { redirect: 'manual' });
    expect(unknown.status).toBe(400);
    expect(denied('authorize', 'unknown_client')).toBe(true);
    const clientId = await registeredClientId(h);
    const repeated = await fetch(`${authorizeUrl(h, { ...goodParams(clientId, pkcePair().challenge), resource: h.settings.resource })}&state=again`, { redirect: 'manual' });
    expect(repeated.status).toBe(400);
  });

  it('serves the consent page unframeable and with the client, scopes and redirect URI', async () => {
    const clientId = await registeredClientId(h);
    const response = await fetch(authorizeUrl(h, { ...goodParams(clientId, pkcePair().challenge), resource: h.settings.resource, scope: 'Mail.Read' }));
    const page = await response.text();
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(page).toContain('Raw client');
    expect(page).toContain(CLIENT_REDIRECT);
    expect(page).toContain('Mail.Read');
    expect(page).not.toContain('Calendars.Read');
  });
});

describe('consent and callback reject', () => {
  it('a consent POST without the CSRF cookie (cross-site form)', async () => {
    const clientId = await registeredClientId(h);
    const browser = new HeadlessBrowser();
    const page = await browser.get(authorizeUrl(h, { ...goodParams(clientId, pkcePair().challenge), resource: h.settings.resource }));
    const forged = await browser.postForm(`${h.url}/authorize/consent`, { ...consentFields(await page.text()), decision: 'approve' }, false);
    expect(forged.status).toBe(400);
    expect(denied('consent', 'csrf')).toBe(true);
  });

  it('a tampered and a replayed Entra state, and a callback in another browser', async () => {
    const clientId = await registeredClientId(h);
    const { callback } = await authorizeAndSignIn(h, goodParams(clientId, pkcePair().challenge), MEGAN.userPrincipalName);
    const replay = await fetch(callback.toString(), { redirect: 'manual' });
    expect(replay.status).toBe(400);
    const tampered = new URL(callback);
    tampered.searchParams.set('state', `${callback.searchParams.get('state')}x`);
    expect((await fetch(tampered.toString(), { redirect: 'manual' })).status).toBe(400);
    expect(h.world.audit.find('sign_in', 'denied').filter((e) => e.reason === 'unknown_or_replayed_state').length).toBeGreaterThanOrEqual(2);

    // Another browser (no binding cookie) arriving with a valid state: login CSRF.
    const browser = new HeadlessBrowser();
    const page = await browser.get(authorizeUrl(h, { ...goodParams(clientId, pkcePair().challenge), resource: h.settings.resource }));
    const approved = await browser.postForm(`${h.url}/authorize/consent`, { ...consentFields(await page.text()), decision: 'approve' });
    const signInUrl = location(approved);
    const response = await fetch(signInUrl, { method: 'POST', body: new URLSearchParams({ user: MEGAN.userPrincipalName }), redirect: 'manual' });
    const foreign = await new HeadlessBrowser().get(location(response));
    expect(foreign.status).toBe(400);
    expect(denied('sign_in', 'browser_binding')).toBe(true);
  });
});

describe('/token rejects', () => {
  async function freshCode(): Promise<{ clientId: string; code: string; verifier: string }> {
    const clientId = await registeredClientId(h);
    const { verifier, challenge } = pkcePair();
    const { final } = await authorizeAndSignIn(h, goodParams(clientId, challenge), MEGAN.userPrincipalName);
    return { clientId, code: final.searchParams.get('code') ?? '', verifier };
  }

  it.each([
    ['a wrong verifier', (v: string) => `${v.slice(0, -1)}${v.endsWith('A') ? 'B' : 'A'}`],
    ['a missing verifier', () => undefined],
  ])('%s (and burns the grant)', async (_name, mutate) => {
    const { clientId, code, verifier } = await freshCode();
    const form: Record<string, string> = { grant_type: 'authorization_code', client_id: clientId, code, redirect_uri: CLIENT_REDIRECT };
    const bad = mutate(verifier);
    if (bad !== undefined) form.code_verifier = bad;
    const { status, body } = await tokenRequest(h, form);
    expect([status, body.error]).toEqual([400, 'invalid_grant']);
    expect(denied('token', 'pkce_verifier')).toBe(true);
    // The right verifier no longer helps: the code is single-use.
    expect((await tokenRequest(h, { ...form, code_verifier: verifier })).body.error).toBe('invalid_grant');
  });

  it('a replayed authorization code', async () => {
    const { clientId, code, verifier } = await freshCode();
    const form = { grant_type: 'authorization_code', client_id: clientId, code, code_verifier: verifier, redirect_uri: CLIENT_REDIRECT };
    expect((await tokenRequest(h, form)).status).toBe(200);
    const replay = await tokenRequest(h, form);
    expect([replay.status, replay.body.error]).toEqual([400, 'invalid_grant']);
    expect(denied('token', 'code_invalid_or_replayed')).toBe(true);
  });

  it('an expired authorization code (clock moved past TTL + skew)', async () => {
    const { clientId, code, verifier } = await freshCode();
    h.world.clock.advance(h.settings.authorizationCodeTtlMs + h.settings.clockSkewMs + 1);
    const { body } = await tokenRequest(h, { grant_type: 'authorization_code', client_id: clientId, code, code_verifier: verifier, redirect_uri: CLIENT_REDIRECT });
    expect(body.error).toBe('invalid_grant');
  });

  it('a code presented by another client or with another redirect URI', async () => {
    const { code, verifier } = await freshCode();
    const other = await registeredClientId(h);
    const { body } = await tokenRequest(h, { grant_type: 'authorization_code', client_id: other, code, code_verifier: verifier, redirect_uri: CLIENT_REDIRECT });
    expect(body.error).toBe('invalid_grant');
    expect(denied('token', 'code_client_mismatch')).toBe(true);
  });

  it('refresh token reuse, revoking the whole grant', async () => {
    const issued = await obtainTokens(h, ALEX.userPrincipalName);
    const first = await tokenRequest(h, { grant_type: 'refresh_token', client_id: issued.clientId, refresh_token: issued.refreshToken });
    expect(first.status).toBe(200);
    const reuse = await tokenRequest(h, { grant_type: 'refresh_token', client_id: issued.clientId, refresh_token: issued.refreshToken });
    expect([reuse.status, reuse.body.error]).toEqual([400, 'invalid_grant']);
    expect(denied('token', 'refresh_token_reuse')).toBe(true);
    // The legitimate (rotated) tokens died with the grant.
    expect((await tokenRequest(h, { grant_type: 'refresh_token', client_id: issued.clientId, refresh_token: String(first.body.refresh_token) })).body.error).toBe('invalid_grant');
    expect((await callMcp(h, String(first.body.access_token))).status).toBe(401);
  });

  it('a refresh that widens the scope', async () => {
    const issued = await obtainTokens(h, ALEX.userPrincipalName);
    const { body } = await tokenRequest(h, { grant_type: 'refresh_token', client_id: issued.clientId, refresh_token: issued.refreshToken, scope: 'Mail.Send' });
    expect(body.error).toBe('invalid_scope');
  });

  it('malformed requests: repeated parameters, JSON bodies, unknown grant types, client secrets', async () => {
    const dup = await fetch(`${h.url}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=refresh_token&grant_type=authorization_code&client_id=x' });
    expect(((await dup.json()) as { error: string }).error).toBe('invalid_request');
    const json = await fetch(`${h.url}/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"grant_type":"refresh_token"}' });
    expect(json.status).toBe(400);
    expect((await tokenRequest(h, { grant_type: 'password', client_id: 'x' })).body.error).toBe('unsupported_grant_type');
    expect((await tokenRequest(h, { grant_type: 'refresh_token', client_id: 'x', client_secret: 'y', refresh_token: 'z' })).status).toBe(401);
  });

  it('oversize bodies with 413', async () => {
    const response = await fetch(`${h.url}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `grant_type=refresh_token&refresh_token=${'a'.repeat(h.settings.maxBodyBytes + 10)}` });
    expect(response.status).toBe(413);
    expect(denied('oauth.request', 'body_too_large')).toBe(true);
  });
});

describe('the resource server rejects', () => {
  it('an expired access token', async () => {
    const issued = await obtainTokens(h, MEGAN.userPrincipalName);
    expect((await callMcp(h, issued.accessToken)).status).toBe(200);
    h.world.clock.advance(h.settings.accessTokenTtlMs + h.settings.clockSkewMs + 1);
    const response = await callMcp(h, issued.accessToken);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(denied('token.verify', 'unknown_or_expired')).toBe(true);
  });

  it('a token issued for another resource (another deployment sharing the stores)', async () => {
    const issued = await obtainTokens(h, MEGAN.userPrincipalName);
    const otherSettings = { ...h.settings, resource: 'https://other.example/mcp' };
    const other = new AuthorizationServer({
      settings: otherSettings,
      clients: new ClientRegistry(otherSettings, h.clients, h.world.clock, h.world.audit),
      grants: h.grants,
      identityProvider: h.world.signIn,
      clock: h.world.clock,
      audit: h.world.audit,
    });
    expect(await other.verifyAccessToken(issued.accessToken)).toBeNull();
    expect(denied('token.verify', 'audience_mismatch')).toBe(true);
  });

  it("user A's token with user B's session: 404 and audited", async () => {
    const megan = await obtainTokens(h, MEGAN.userPrincipalName);
    const alex = await obtainTokens(h, ALEX.userPrincipalName);
    const alexIdentity = await h.server.verifyAccessToken(alex.accessToken);
    if (alexIdentity === null) throw new Error('alex token invalid');
    const session = await h.sessionBinding.open({ ...alexIdentity });
    expect((await callMcp(h, alex.accessToken, { 'mcp-session-id': session.id })).status).toBe(200);
    expect((await callMcp(h, megan.accessToken, { 'mcp-session-id': session.id })).status).toBe(404);
    expect(denied('session.mismatch', 'identity_mismatch')).toBe(true);
  });

  it('revoked tokens (/revoke of a refresh token ends the grant)', async () => {
    const issued = await obtainTokens(h, MEGAN.userPrincipalName);
    const revoke = await fetch(`${h.url}/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: issued.refreshToken, client_id: issued.clientId }) });
    expect(revoke.status).toBe(200);
    expect((await callMcp(h, issued.accessToken)).status).toBe(401);
  });
});
