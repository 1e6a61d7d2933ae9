import { ConfidentialClientApplication, LogLevel } from '@azure/msal-node';
import type { ICachePlugin } from '@azure/msal-node';
import type { Logger } from '../../ports/logger.js';
import type { EntraSettings } from './entra-settings.js';
import { FetchNetworkClient } from './fetch-network-client.js';

/**
 * Creates short-lived ConfidentialClientApplications, one per user operation, each with its own
 * cache plugin (the per-user partition). Authority metadata is fetched once per authority and
 * handed to every instance, so a new instance costs no discovery round trip.
 */
export class MsalApplications {
  readonly network: FetchNetworkClient;
  private readonly metadata = new Map<string, Promise<string>>();

  constructor(
    private readonly settings: EntraSettings,
    private readonly logger?: Logger,
  ) {
    const from = settings.authorityHost.replace(/\/$/, '');
    this.network = new FetchNetworkClient(
      settings.requestTimeoutMs,
      settings.rewriteAuthorityTo === undefined ? undefined : { from, to: settings.rewriteAuthorityTo.replace(/\/$/, '') },
    );
  }

  authority(tenant: string): string {
    return `${this.settings.authorityHost.replace(/\/$/, '')}/${tenant}`;
  }

  /** The URL a browser can follow (rewritten to the sandbox in development). */
  browserUrl(url: string): string {
    return this.network.resolve(url);
  }

  async create(tenant: string, cachePlugin: ICachePlugin): Promise<ConfidentialClientApplication> {
    const authority = this.authority(tenant);
    const authorityMetadata = await this.authorityMetadata(authority);
    return new ConfidentialClientApplication({
      auth: {
        clientId: this.settings.clientId,
        clientSecret: this.settings.clientSecret,
        authority,
        knownAuthorities: [new URL(authority).host],
        authorityMetadata,
      },
      cache: { cachePlugin },
      system: {
        networkClient: this.network,
        // Our own breaker and backoff decide about retries.
        disableInternalRetries: true,
        loggerOptions: {
          piiLoggingEnabled: false,
          logLevel: LogLevel.Warning,
          loggerCallback: (level, message, containsPii) => {
            if (containsPii || this.logger === undefined) return;
            if (level === LogLevel.Error) this.logger.error('msal', { message });
            else this.logger.warn('msal', { message });
          },
        },
      },
    });
  }

  private authorityMetadata(authority: string): Promise<string> {
    let pending = this.metadata.get(authority);
    if (pending === undefined) {
      pending = this.network
        .sendGetRequestAsync<Record<string, unknown>>(`${authority}/v2.0/.well-known/openid-configuration`)
        .then((response) => {
          if (response.status !== 200) throw new Error(`OpenID configuration of ${authority}: HTTP ${response.status}`);
          return JSON.stringify(response.body);
        });
      // A failed discovery is retried on the next call rather than cached.
      pending.catch(() => this.metadata.delete(authority));
      this.metadata.set(authority, pending);
    }
    return pending;
  }
}
