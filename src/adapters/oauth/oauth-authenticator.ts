import type { Identity } from '../../domain/identity.js';
import type { AuthorizationServer } from './authorization-server.js';
import { protectedResourceMetadataUrl } from './oauth-metadata.js';
import type { OAuthServerSettings } from './oauth-settings.js';

/** An Identity together with what the edge may want to show (auth_status) about the token. */
export interface AuthenticatedCaller {
  identity: Identity;
  tokenExpiresAt: number;
  grantId: string;
}

/**
 * The resource-server side: a bearer token in, an Identity out (or null → 401). The token is never
 * forwarded anywhere; the identity it maps to is what downstream code sees.
 */
export class OAuthAuthenticator {
  constructor(
    private readonly server: AuthorizationServer,
    private readonly settings: OAuthServerSettings,
  ) {}

  async authenticate(bearer: string | undefined, _request?: Request): Promise<Identity | null> {
    return (await this.verify(bearer))?.identity ?? null;
  }

  async verify(bearer: string | undefined): Promise<AuthenticatedCaller | null> {
    if (bearer === undefined || bearer === '') return null;
    const record = await this.server.verifyAccessToken(bearer);
    if (record === null) return null;
    return {
      identity: { tenantId: record.tenantId, objectId: record.objectId, subject: record.subject, clientId: record.clientId, scopes: record.scopes },
      tokenExpiresAt: record.expiresAt - this.settings.clockSkewMs,
      grantId: record.grantId,
    };
  }

  /** The `WWW-Authenticate` value of a 401 from /mcp (RFC 9728 §5.1). */
  challenge(error?: 'invalid_token'): string {
    const parts = [`resource_metadata="${protectedResourceMetadataUrl(this.settings)}"`];
    if (error !== undefined) parts.push(`error="${error}"`);
    return `Bearer ${parts.join(', ')}`;
  }

  /** Extracts the bearer token from an Authorization header, case-insensitively on the scheme. */
  static bearerFrom(header: string | undefined | null): string | undefined {
    if (header === undefined || header === null) return undefined;
    const match = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(header.trim());
    return match?.[1];
  }
}
