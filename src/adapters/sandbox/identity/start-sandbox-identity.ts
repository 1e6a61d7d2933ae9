import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import type { EntraSettings } from '../../entra/entra-settings.js';
import { mintSandboxAccessToken } from '../access-token.js';
import { SEEDED_TENANTS, SEEDED_USERS } from '../seed.js';
import type { IdentityControls } from './identity-controls.js';
import { createSandboxIdentityProvider } from './sandbox-identity-app.js';

/** The https authority MSAL is told about; the network client maps it onto the local server. */
export const SANDBOX_AUTHORITY_HOST = 'https://login.sandbox.test';

export interface RunningSandboxIdentity {
  url: string;
  controls: IdentityControls;
  /** How the gateway reaches this IdP: a registered confidential client with our callback. */
  entra: EntraSettings;
  close(): Promise<void>;
}

/**
 * Starts the sandbox IdP for the seeded tenants, issuing Graph tokens the sandbox Graph accepts
 * (signed with `graphTokenSecret`) and registering the gateway's callback as the only redirect URI.
 */
export async function startSandboxIdentity(options: { gatewayCallbackUrl: string; graphTokenSecret: string; graphScopes: string[]; port?: number; host?: string }): Promise<RunningSandboxIdentity> {
  const clientId = 'm365-mcp-gateway-sandbox';
  const clientSecret = randomBytes(24).toString('base64url');
  const { app, controls } = await createSandboxIdentityProvider({
    publicOrigin: SANDBOX_AUTHORITY_HOST,
    tenants: SEEDED_TENANTS.map((t) => ({ id: t.id, domain: t.domain })),
    users: SEEDED_USERS,
    apps: [{ clientId, clientSecret, redirectUris: [options.gatewayCallbackUrl] }],
    mintGraphToken: (claims) => mintSandboxAccessToken(options.graphTokenSecret, claims),
  });
  const host = options.host ?? '127.0.0.1';
  const { server, port } = await new Promise<{ server: Server; port: number }>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: host }, (info: AddressInfo) => resolve({ server: s as Server, port: info.port }));
    s.once('error', reject);
  });
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url,
    controls,
    entra: {
      clientId,
      clientSecret,
      authorityHost: SANDBOX_AUTHORITY_HOST,
      signInTenant: 'organizations',
      redirectUri: options.gatewayCallbackUrl,
      graphScopes: options.graphScopes,
      requestTimeoutMs: 5000,
      rewriteAuthorityTo: url,
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
