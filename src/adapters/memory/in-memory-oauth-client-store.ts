import type { Clock } from '../../ports/clock.js';
import type { OAuthClient, OAuthClientStore } from '../../ports/oauth-client-store.js';

/** Single-process OAuthClientStore; records past `expiresAt` read as absent. */
export class InMemoryOAuthClientStore implements OAuthClientStore {
  private readonly clients = new Map<string, OAuthClient>();

  constructor(private readonly clock: Clock) {}

  async get(clientId: string): Promise<OAuthClient | null> {
    const client = this.clients.get(clientId);
    if (client === undefined) return null;
    if (client.expiresAt !== undefined && client.expiresAt <= this.clock.now()) {
      this.clients.delete(clientId);
      return null;
    }
    return structuredClone(client);
  }

  async put(client: OAuthClient): Promise<void> {
    this.clients.set(client.clientId, structuredClone(client));
  }
}
