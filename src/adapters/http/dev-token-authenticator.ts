import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Identity } from '../../domain/identity.js';
import type { Authenticator } from './authenticator.js';

/**
 * Sandbox-only bearer tokens (`dev.<payload>.<mac>`) so the embedded default and tests can call
 * `/mcp` without a sign-in. The container never binds this outside sandbox mode.
 */
export class DevTokenAuthenticator implements Authenticator {
  constructor(private readonly secret: string) {}

  async authenticate(token: string | undefined): Promise<Identity | null> {
    if (!token?.startsWith('dev.')) return null;
    const [, payload, mac] = token.split('.');
    if (!payload || !mac) return null;
    const expected = sign(this.secret, payload);
    if (mac.length !== expected.length || !timingSafeEqual(Buffer.from(mac), Buffer.from(expected))) return null;
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { tid: string; oid: string };
      return {
        tenantId: claims.tid,
        objectId: claims.oid,
        subject: claims.oid,
        clientId: 'sandbox-dev',
        scopes: ['mcp'],
      };
    } catch {
      return null;
    }
  }

  challenge(): string {
    return 'Bearer realm="m365-mcp-gateway (sandbox)"';
  }
}

export function mintDevToken(secret: string, user: { tenantId: string; objectId: string }): string {
  const payload = Buffer.from(JSON.stringify({ tid: user.tenantId, oid: user.objectId })).toString('base64url');
  return `dev.${payload}.${sign(secret, payload)}`;
}

function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}
