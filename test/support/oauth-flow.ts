import { createHash, randomBytes } from 'node:crypto';
import type { AuthHarness } from './auth-harness.js';
import { HeadlessBrowser, consentFields, location } from './headless-browser.js';
import { CLIENT_REDIRECT } from './mcp-oauth-client.js';
import { approveSignIn } from './sandbox-idp.js';

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export async function registerClient(h: AuthHarness, body: unknown = { client_name: 'Raw client', redirect_uris: [CLIENT_REDIRECT], token_endpoint_auth_method: 'none' }): Promise<Response> {
  return fetch(`${h.url}/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

export async function registeredClientId(h: AuthHarness): Promise<string> {
  const response = await registerClient(h);
  return ((await response.json()) as { client_id: string }).client_id;
}

export function authorizeUrl(h: AuthHarness, params: Record<string, string | undefined>): string {
  const url = new URL(`${h.url}/authorize`);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}

export function goodParams(clientId: string, challenge: string): Record<string, string> {
  return { client_id: clientId, redirect_uri: CLIENT_REDIRECT, response_type: 'code', state: 'st-1', code_challenge: challenge, code_challenge_method: 'S256', resource: '' };
}

export interface FlowResult {
  browser: HeadlessBrowser;
  /** Where our server finally redirected the browser (the client's redirect URI). */
  final: URL;
  /** The Entra callback URL (to replay). */
  callback: URL;
}

/** Runs authorize → consent → sandbox sign-in → callback as a browser would. */
export async function authorizeAndSignIn(h: AuthHarness, params: Record<string, string>, upn: string, grant?: string): Promise<FlowResult> {
  const browser = new HeadlessBrowser();
  const page = await browser.get(authorizeUrl(h, { ...params, resource: params.resource || h.settings.resource }));
  if (page.status !== 200) throw new Error(`authorize: ${page.status}`);
  const approved = await browser.postForm(`${h.url}/authorize/consent`, { ...consentFields(await page.text()), decision: 'approve' });
  const callback = await approveSignIn(location(approved), upn, grant);
  const back = await browser.get(callback.toString());
  return { browser, final: new URL(location(back)), callback };
}

export async function tokenRequest(h: AuthHarness, form: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${h.url}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export interface Issued {
  clientId: string;
  accessToken: string;
  refreshToken: string;
}

export async function obtainTokens(h: AuthHarness, upn: string): Promise<Issued> {
  const clientId = await registeredClientId(h);
  const { verifier, challenge } = pkcePair();
  const { final } = await authorizeAndSignIn(h, goodParams(clientId, challenge), upn);
  const code = final.searchParams.get('code') ?? '';
  const { status, body } = await tokenRequest(h, { grant_type: 'authorization_code', client_id: clientId, code, code_verifier: verifier, redirect_uri: CLIENT_REDIRECT, resource: h.settings.resource });
  if (status !== 200) throw new Error(`token: ${JSON.stringify(body)}`);
  return { clientId, accessToken: String(body.access_token), refreshToken: String(body.refresh_token) };
}

export async function callMcp(h: AuthHarness, accessToken: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${h.url}/mcp`, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
  });
}
