import { DeleteItemCommand, GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { Clock } from '../../ports/clock.js';
import type { StoredTokens, TokenStore } from '../../ports/token-store.js';
import { parseRecord, storedTokensSchema } from '../shared/stored-records.js';
import { num, readNumber, readString, str, ttlSeconds } from './attribute-values.js';
import type { Item } from './attribute-values.js';
import { isConditionalCheckFailed } from './dynamo-executor.js';
import type { DynamoExecutor } from './dynamo-executor.js';
import { TOKENS_BY_TENANT_INDEX } from './table-definitions.js';
import { tenantShard, tenantShards } from './tenant-shards.js';

export const tokenPartitionKey = (tenantId: string, objectId: string): string => `${tenantId}#${objectId}`;

// A version-1 write may replace nothing, an expired record, or a malformed one.
const FIRST_WRITE =
  'attribute_not_exists(pk) OR expiresAtMs <= :now OR NOT (attribute_type(#v, :n) AND attribute_type(expiresAtMs, :n) AND attribute_type(sealed, :s))';
// Any later write must follow the live record's version exactly.
const NEXT_WRITE = '#v = :previous AND expiresAtMs > :now';

/**
 * Sealed token caches, one item per user (pk `tenantId#objectId`). Writes are conditional on
 * the version so two replicas refreshing at once never overwrite a newer refresh token; reads are
 * strongly consistent so a replica sees the version it must follow.
 */
export class DynamoTokenStore implements TokenStore {
  constructor(
    private readonly dynamo: DynamoExecutor,
    private readonly table: string,
    private readonly clock: Clock,
  ) {}

  async get(tenantId: string, objectId: string): Promise<StoredTokens | null> {
    const { Item: item } = await this.dynamo.send('token get', (c) =>
      c.send(
        new GetItemCommand({
          TableName: this.table,
          Key: { pk: str(tokenPartitionKey(tenantId, objectId)) },
          ConsistentRead: true,
        }),
      ),
    );
    if (item === undefined) return null;
    const record = parseRecord(storedTokensSchema, {
      tenantId: readString(item, 'tenantId'),
      objectId: readString(item, 'objectId'),
      sealed: readString(item, 'sealed'),
      version: readNumber(item, 'version'),
      expiresAt: readNumber(item, 'expiresAtMs'),
    });
    return record !== null && record.expiresAt > this.clock.now() ? record : null;
  }

  async put(record: StoredTokens): Promise<boolean> {
    const item: Item = {
      pk: str(tokenPartitionKey(record.tenantId, record.objectId)),
      tenantId: str(record.tenantId),
      objectId: str(record.objectId),
      tenantShard: str(tenantShard(record.tenantId, record.objectId)),
      sealed: str(record.sealed),
      version: num(record.version),
      expiresAtMs: num(record.expiresAt),
      expiresAt: num(ttlSeconds(record.expiresAt)),
    };
    const first = record.version === 1;
    try {
      await this.dynamo.send('token put', (c) =>
        c.send(
          new PutItemCommand({
            TableName: this.table,
            Item: item,
            ConditionExpression: first ? FIRST_WRITE : NEXT_WRITE,
            ExpressionAttributeNames: { '#v': 'version' },
            ExpressionAttributeValues: first
              ? { ':now': num(this.clock.now()), ':n': str('N'), ':s': str('S') }
              : { ':now': num(this.clock.now()), ':previous': num(record.version - 1) },
          }),
        ),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async delete(tenantId: string, objectId: string): Promise<void> {
    await this.dynamo.send('token delete', (c) =>
      c.send(
        new DeleteItemCommand({
          TableName: this.table,
          Key: { pk: str(tokenPartitionKey(tenantId, objectId)) },
        }),
      ),
    );
  }

  async listUsers(tenantId: string): Promise<string[]> {
    const perShard = await Promise.all(tenantShards(tenantId).map((shard) => this.queryShard(shard)));
    return perShard.flat();
  }

  private async queryShard(shard: string): Promise<string[]> {
    const users: string[] = [];
    let start: Item | undefined;
    do {
      const page = await this.dynamo.send('token list', (c) =>
        c.send(
          new QueryCommand({
            TableName: this.table,
            IndexName: TOKENS_BY_TENANT_INDEX,
            KeyConditionExpression: 'tenantShard = :shard',
            ExpressionAttributeValues: { ':shard': str(shard) },
            ...(start === undefined ? {} : { ExclusiveStartKey: start }),
          }),
        ),
      );
      for (const item of page.Items ?? []) {
        const objectId = readString(item, 'objectId');
        if (objectId !== undefined && (readNumber(item, 'expiresAtMs') ?? 0) > this.clock.now())
          users.push(objectId);
      }
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return users;
  }
}
