import type { Redis } from 'ioredis';
import type { Clock } from '../../ports/clock.js';
import type { OAuthClient, OAuthClientStore } from '../../ports/oauth-client-store.js';

/** Dynamically registered clients and cached metadata documents, shared by all replicas. */
export class RedisOAuthClientStore implements OAuthClientStore {
  constructor(
    private readonly redis: Redis,
    private readonly clock: Clock,
    private readonly prefix = 'mcp:oauth:',
  ) {}

  private key(clientId: string): string {
    return `${this.prefix}client:${clientId}`;
  }

  async get(clientId: string): Promise<OAuthClient | null> {
    const raw = await this.redis.get(this.key(clientId));
    if (raw === null) return null;
    const client = JSON.parse(raw) as OAuthClient;
    return client.expiresAt !== undefined && client.expiresAt <= this.clock.now() ? null : client;
  }

  async put(client: OAuthClient): Promise<void> {
    if (client.expiresAt === undefined) {
      await this.redis.set(this.key(client.clientId), JSON.stringify(client));
      return;
    }
    await this.redis.set(this.key(client.clientId), JSON.stringify(client), 'PX', Math.max(1000, client.expiresAt - this.clock.now() + 60_000));
  }
}
