import { randomBytes } from 'node:crypto';
import { createSandboxIdentityProvider } from '../../src/adapters/sandbox/identity/sandbox-identity-app.js';
import type { IdentityControls } from '../../src/adapters/sandbox/identity/identity-controls.js';
import type { GraphAccessClaims, IdentityTenant, IdentityUser } from '../../src/adapters/sandbox/identity/identity-directory.js';
import type { EntraSettings } from '../../src/adapters/entra/entra-settings.js';
import { listen } from './serve.js';
import type { RunningServer } from './serve.js';

export const IDP_PUBLIC_ORIGIN = 'https://login.sandbox.test';
export const CONTOSO: IdentityTenant = { id: '4a1c9f3e-2b7d-4e8a-9c61-0f3d5b8e7a21', domain: 'contoso.example' };
export const FABRIKAM: IdentityTenant = { id: '9e2b6d41-7c3a-4f95-8b0e-1d6a2c4f3b87', domain: 'fabrikam.example' };
export const MEGAN: IdentityUser = { id: '0b5e1f7a-3c4d-4e2b-9a8f-1d2c3b4a5e01', tenantId: CONTOSO.id, displayName: 'Megan Bowen', userPrincipalName: 'megan@contoso.example' };
export const ALEX: IdentityUser = { id: '0b5e1f7a-3c4d-4e2b-9a8f-1d2c3b4a5e02', tenantId: CONTOSO.id, displayName: 'Alex Wilber', userPrincipalName: 'alex@contoso.example' };
export const NESTOR: IdentityUser = { id: '7c1e2d3f-4a5b-4c6d-8e9f-0a1b2c3d4e01', tenantId: FABRIKAM.id, displayName: 'Nestor Wilke', userPrincipalName: 'nestor@fabrikam.example' };

export const GRAPH_SCOPES = ['User.Read', 'Mail.Read', 'Calendars.Read'];

/** Stand-in for `mintSandboxAccessToken`: an opaque string that names its claims, for assertions. */
export function fakeGraphToken(claims: GraphAccessClaims): string {
  return `graph.${claims.tenantId}.${claims.userId}.${claims.expiresAt}.${randomBytes(6).toString('hex')}`;
}

export interface RunningIdp {
  server: RunningServer;
  controls: IdentityControls;
  settings: EntraSettings;
}

export async function startSandboxIdp(redirectUri = 'http://127.0.0.1:1/oauth/callback'): Promise<RunningIdp> {
  const clientId = 'gateway-app';
  const clientSecret = randomBytes(16).toString('hex');
  const { app, controls } = await createSandboxIdentityProvider({
    publicOrigin: IDP_PUBLIC_ORIGIN,
    tenants: [CONTOSO, FABRIKAM],
    users: [MEGAN, ALEX, NESTOR],
    apps: [{ clientId, clientSecret, redirectUris: [redirectUri] }],
    mintGraphToken: fakeGraphToken,
  });
  const server = await listen(app.fetch);
  return {
    server,
    controls,
    settings: {
      clientId,
      clientSecret,
      authorityHost: IDP_PUBLIC_ORIGIN,
      signInTenant: 'organizations',
      redirectUri,
      graphScopes: GRAPH_SCOPES,
      requestTimeoutMs: 5000,
      rewriteAuthorityTo: server.url,
    },
  };
}

/** The headless approve step: POST the user to the sign-in URL; returns the redirect to our callback. */
export async function approveSignIn(signInUrl: string, upn: string, grant?: string): Promise<URL> {
  const body = new URLSearchParams({ user: upn });
  if (grant !== undefined) body.set('grant', grant);
  const response = await fetch(signInUrl, { method: 'POST', body, redirect: 'manual' });
  const location = response.headers.get('location');
  if (response.status !== 302 || location === null) throw new Error(`sandbox sign-in failed: ${response.status} ${await response.text()}`);
  return new URL(location);
}
