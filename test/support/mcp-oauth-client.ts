import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { HeadlessBrowser, consentFields, location } from './headless-browser.js';
import { approveSignIn } from './sandbox-idp.js';

export const CLIENT_REDIRECT = 'http://127.0.0.1:33418/callback';

/**
 * The MCP SDK's OAuthClientProvider, with a headless user who approves consent and signs in at the
 * sandbox IdP as `upn`. Everything else (discovery, registration, PKCE, token calls) is the SDK's.
 */
export class HeadlessOAuthProvider implements OAuthClientProvider {
  info: OAuthClientInformationMixed | undefined;
  saved: OAuthTokens | undefined;
  verifier = '';
  code: string | undefined;
  readonly browser = new HeadlessBrowser();
  lastAuthorizationUrl: URL | undefined;

  constructor(public upn: string) {}

  get redirectUrl(): string {
    return CLIENT_REDIRECT;
  }

  get clientMetadata(): OAuthClientMetadata {
    return { client_name: 'Test MCP client', redirect_uris: [CLIENT_REDIRECT], token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'] };
  }

  state(): string {
    return 'client-state-123';
  }

  clientInformation(): OAuthClientInformationMixed | undefined {
    return this.info;
  }

  saveClientInformation(info: OAuthClientInformationMixed): void {
    this.info = info;
  }

  tokens(): OAuthTokens | undefined {
    return this.saved;
  }

  saveTokens(tokens: OAuthTokens): void {
    this.saved = tokens;
  }

  saveCodeVerifier(verifier: string): void {
    this.verifier = verifier;
  }

  codeVerifier(): string {
    return this.verifier;
  }

  async redirectToAuthorization(url: URL): Promise<void> {
    this.lastAuthorizationUrl = url;
    const consent = await this.browser.get(url.toString());
    if (consent.status !== 200) throw new Error(`authorize failed: ${consent.status} ${await consent.text()}`);
    const fields = consentFields(await consent.text());
    const approved = await this.browser.postForm(new URL('/authorize/consent', url).toString(), { ...fields, decision: 'approve' });
    const callback = await approveSignIn(location(approved), this.upn);
    const back = await this.browser.get(callback.toString());
    const final = new URL(location(back));
    const code = final.searchParams.get('code');
    if (code === null) throw new Error(`authorization failed: ${final.searchParams.get('error')} ${final.searchParams.get('error_description')}`);
    if (final.searchParams.get('state') !== 'client-state-123') throw new Error('state not echoed');
    this.code = code;
  }
}

/** Connects, running the whole OAuth dance on the first 401. */
export async function connectWithOAuth(mcpUrl: string, provider: HeadlessOAuthProvider): Promise<Client> {
  const first = new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: provider });
  const client = new Client({ name: 'test', version: '0.0.0' });
  try {
    await client.connect(first);
    return client;
  } catch (error) {
    if (provider.code === undefined) throw error;
  }
  await first.finishAuth(provider.code);
  provider.code = undefined;
  const second = new Client({ name: 'test', version: '0.0.0' });
  await second.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: provider }));
  return second;
}

export function textOf(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.map((c) => c.text ?? '').join('');
}
