import { InvalidClientError, InvalidClientMetadataError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import { OAuthClientMetadataSchema } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { OAuthClientInformationFull } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { AuditLog } from '../../ports/audit-log.js';
import type { Clock } from '../../ports/clock.js';
import type { OAuthClient, OAuthClientStore } from '../../ports/oauth-client-store.js';
import { GuardedFetchError, guardedFetchText } from './guarded-fetch.js';
import type { OAuthServerSettings } from './oauth-settings.js';
import { isAcceptableRedirectUri } from './redirect-uri.js';
import { newSecret } from './secrets.js';

const PUBLIC_CLIENT = 'none';

/**
 * Knows our MCP clients: pre-registered ones from configuration, RFC 7591 dynamic registrations and
 * Client ID Metadata Documents (the client id is an https URL serving the client's metadata).
 * All clients are public: they prove possession with PKCE, never a secret.
 */
export class ClientRegistry {
  private readonly preregistered: Map<string, OAuthClient>;

  constructor(
    private readonly settings: OAuthServerSettings,
    private readonly store: OAuthClientStore,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {
    this.preregistered = new Map(
      settings.preregisteredClients.map((c) => [c.clientId, { ...c, redirectUris: [...c.redirectUris], source: 'preregistered', createdAt: 0 }]),
    );
  }

  /** Resolves a client id or throws InvalidClientError (never redirect to an unverified client). */
  async resolve(clientId: string): Promise<OAuthClient> {
    const known = this.preregistered.get(clientId);
    if (known !== undefined) return known;
    if (this.looksLikeMetadataUrl(clientId)) {
      if (!this.settings.clientMetadataDocuments) throw new InvalidClientError('Client ID Metadata Documents are disabled on this server.');
      return (await this.store.get(clientId)) ?? this.fetchMetadataDocument(clientId);
    }
    const stored = await this.store.get(clientId);
    if (stored === null || stored.source !== 'dynamic' || !this.settings.dynamicRegistration) throw new InvalidClientError('Unknown client.');
    return stored;
  }

  /** RFC 7591 registration of a public client. */
  async register(body: unknown): Promise<OAuthClientInformationFull> {
    const parsed = OAuthClientMetadataSchema.safeParse(body);
    if (!parsed.success) throw this.denyRegistration('invalid_metadata', 'Client metadata is invalid.');
    const metadata = parsed.data;
    this.checkMetadata(metadata, 'dynamic');
    const now = this.clock.now();
    const client: OAuthClient = {
      clientId: `mcp-${newSecret().slice(0, 32)}`,
      clientName: (metadata.client_name ?? 'Unnamed MCP client').slice(0, 100),
      redirectUris: metadata.redirect_uris,
      source: 'dynamic',
      createdAt: now,
      expiresAt: now + this.settings.dynamicClientTtlMs,
    };
    await this.store.put(client);
    this.audit.record({ action: 'client.register', outcome: 'success', clientId: client.clientId });
    return {
      ...metadata,
      client_name: client.clientName,
      client_id: client.clientId,
      client_id_issued_at: Math.floor(now / 1000),
      token_endpoint_auth_method: PUBLIC_CLIENT,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    };
  }

  private looksLikeMetadataUrl(clientId: string): boolean {
    return clientId.startsWith('https://') || (this.settings.metadataFetch.allowPrivateNetworks && clientId.startsWith('http://'));
  }

  private async fetchMetadataDocument(clientId: string): Promise<OAuthClient> {
    let url: URL;
    try {
      url = new URL(clientId);
    } catch {
      throw this.denyMetadata(clientId, 'bad_url', 'Client id is not a valid URL.');
    }
    if (url.pathname === '/' || url.hash !== '' || url.username !== '') throw this.denyMetadata(clientId, 'bad_url', 'Client id URL must have a path and no fragment or credentials.');
    let text: string;
    try {
      text = await guardedFetchText(url, this.settings.metadataFetch);
    } catch (error) {
      const reason = error instanceof GuardedFetchError ? error.reason : 'network';
      throw this.denyMetadata(clientId, `metadata_${reason}`, error instanceof GuardedFetchError ? error.message : 'Client metadata document could not be fetched.');
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw this.denyMetadata(clientId, 'metadata_not_json', 'Client metadata document is not JSON.');
    }
    const parsed = OAuthClientMetadataSchema.extend({}).safeParse(json);
    const declaredId = typeof json === 'object' && json !== null ? (json as Record<string, unknown>).client_id : undefined;
    if (!parsed.success || declaredId !== clientId) throw this.denyMetadata(clientId, 'metadata_invalid', 'Client metadata document is invalid or names another client_id.');
    this.checkMetadata(parsed.data, clientId);
    const now = this.clock.now();
    const client: OAuthClient = {
      clientId,
      clientName: (parsed.data.client_name ?? url.host).slice(0, 100),
      redirectUris: parsed.data.redirect_uris,
      source: 'metadata_document',
      createdAt: now,
      expiresAt: now + this.settings.metadataFetch.cacheTtlMs,
    };
    await this.store.put(client);
    return client;
  }

  private checkMetadata(metadata: { redirect_uris: string[]; token_endpoint_auth_method?: string | undefined; grant_types?: string[] | undefined; response_types?: string[] | undefined }, who: string): void {
    const fail = (reason: string, message: string): never => {
      throw who === 'dynamic' ? this.denyRegistration(reason, message) : this.denyMetadata(who, reason, message);
    };
    if (metadata.redirect_uris.length === 0 || metadata.redirect_uris.length > 10) fail('redirect_uris', 'Between 1 and 10 redirect URIs are required.');
    const bad = metadata.redirect_uris.find((uri) => !isAcceptableRedirectUri(uri));
    if (bad !== undefined) fail('redirect_uris', 'Redirect URIs must be https, http on a loopback host, or a private-use scheme, without fragments.');
    if ((metadata.token_endpoint_auth_method ?? PUBLIC_CLIENT) !== PUBLIC_CLIENT) fail('auth_method', 'Only public clients (token_endpoint_auth_method "none") with PKCE are supported.');
    if (metadata.grant_types?.some((g) => g !== 'authorization_code' && g !== 'refresh_token')) fail('grant_types', 'Only authorization_code and refresh_token grants are supported.');
    if (metadata.response_types?.some((r) => r !== 'code')) fail('response_types', 'Only the code response type is supported.');
  }

  private denyRegistration(reason: string, message: string): InvalidClientMetadataError {
    this.audit.record({ action: 'client.register', outcome: 'denied', reason });
    return new InvalidClientMetadataError(message);
  }

  private denyMetadata(clientId: string, reason: string, message: string): InvalidClientError {
    this.audit.record({ action: 'client.metadata_document', outcome: 'denied', clientId: clientId.slice(0, 200), reason });
    return new InvalidClientError(message);
  }
}
