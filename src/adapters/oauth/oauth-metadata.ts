import type { OAuthMetadata, OAuthProtectedResourceMetadata } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { OAuthServerSettings } from './oauth-settings.js';

/** RFC 8414 authorization server metadata. */
export function authorizationServerMetadata(settings: OAuthServerSettings): OAuthMetadata & { client_id_metadata_document_supported: boolean; authorization_response_iss_parameter_supported: boolean } {
  return {
    issuer: settings.issuer,
    authorization_endpoint: `${settings.issuer}/authorize`,
    token_endpoint: `${settings.issuer}/token`,
    ...(settings.dynamicRegistration ? { registration_endpoint: `${settings.issuer}/register` } : {}),
    revocation_endpoint: `${settings.issuer}/revoke`,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['none'],
    revocation_endpoint_auth_methods_supported: ['none'],
    scopes_supported: [...settings.scopesSupported],
    client_id_metadata_document_supported: settings.clientMetadataDocuments,
    authorization_response_iss_parameter_supported: true,
  };
}

/** RFC 9728 protected resource metadata for /mcp. */
export function protectedResourceMetadata(settings: OAuthServerSettings): OAuthProtectedResourceMetadata {
  return {
    resource: settings.resource,
    authorization_servers: [settings.issuer],
    scopes_supported: [...settings.scopesSupported],
    bearer_methods_supported: ['header'],
    resource_name: 'Microsoft 365 MCP gateway',
  };
}

/** Where the resource metadata lives: the well-known prefix inserted before the resource's path. */
export function protectedResourceMetadataUrl(settings: OAuthServerSettings): string {
  const resource = new URL(settings.resource);
  const path = resource.pathname === '/' ? '' : resource.pathname;
  return `${resource.origin}/.well-known/oauth-protected-resource${path}`;
}
