import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { Clock } from '../../ports/clock.js';
import type { OAuthClient, OAuthClientStore } from '../../ports/oauth-client-store.js';
import { oauthClientSchema, parseJsonRecord } from '../shared/stored-records.js';
import { num, readString, str, ttlSeconds } from './attribute-values.js';
import type { Item } from './attribute-values.js';
import type { DynamoExecutor } from './dynamo-executor.js';
import { hashedKey } from './hashed-key.js';

const clientKey = (clientId: string): string => `client#${hashedKey(clientId)}`;

/**
 * Registered clients and cached client metadata documents in the `oauth` table. The key is
 * `client#sha256(clientId)`: a metadata-document client id is a URL of up to 2 KB, longer than a
 * partition key may be. Reads are strongly consistent: a client registers and goes to /authorize
 * at once, often on another replica.
 */
export class DynamoOAuthClientStore implements OAuthClientStore {
  constructor(
    private readonly dynamo: DynamoExecutor,
    private readonly table: string,
    private readonly clock: Clock,
  ) {}

  async get(clientId: string): Promise<OAuthClient | null> {
    const { Item: item } = await this.dynamo.send('oauth client get', (c) =>
      c.send(new GetItemCommand({ TableName: this.table, Key: { pk: str(clientKey(clientId)) }, ConsistentRead: true })),
    );
    const client = parseJsonRecord(oauthClientSchema, readString(item, 'data'));
    if (client === null || client.clientId !== clientId) return null;
    return client.expiresAt !== undefined && client.expiresAt <= this.clock.now() ? null : client;
  }

  async put(client: OAuthClient): Promise<void> {
    const expiry: Item = client.expiresAt === undefined ? {} : { expiresAtMs: num(client.expiresAt), expiresAt: num(ttlSeconds(client.expiresAt)) };
    await this.dynamo.send('oauth client put', (c) =>
      c.send(
        new PutItemCommand({
          TableName: this.table,
          Item: { pk: str(clientKey(client.clientId)), data: str(JSON.stringify(client)), ...expiry },
        }),
      ),
    );
  }
}
