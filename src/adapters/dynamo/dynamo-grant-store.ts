import { DeleteItemCommand, GetItemCommand, PutItemCommand, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { QueryCommandInput } from '@aws-sdk/client-dynamodb';
import type { z } from 'zod';
import type { Clock } from '../../ports/clock.js';
import type {
  AccessTokenRecord,
  AuthorizationCodeRecord,
  Grant,
  GrantStore,
  PendingAuthorization,
  RefreshTokenRecord,
  RefreshTokenUse,
} from '../../ports/grant-store.js';
import {
  accessTokenRecordSchema,
  authorizationCodeSchema,
  grantSchema,
  parseJsonRecord,
  pendingAuthorizationSchema,
} from '../shared/stored-records.js';
import { num, readNumber, readString, str, ttlSeconds } from './attribute-values.js';
import type { Item } from './attribute-values.js';
import { isConditionalCheckFailed } from './dynamo-executor.js';
import type { DynamoExecutor } from './dynamo-executor.js';
import { hashedKey } from './hashed-key.js';
import { OAUTH_BY_GRANT_INDEX, OAUTH_BY_TENANT_INDEX } from './table-definitions.js';
import { tenantShard, tenantShards } from './tenant-shards.js';

const GRANT = 'grant#';
/**
 * Partition keys `kind#key`. Codes and tokens arrive as SHA-256 hashes; pending ids (the consent
 * request id and the Entra `state`, themselves secrets) are hashed here, so no stored key or
 * attribute lets anyone redeem anything. Grant ids are random and not credentials.
 */
const pk = {
  pending: (id: string): string => `pending#${hashedKey(id)}`,
  code: (codeHash: string): string => `code#${codeHash}`,
  grant: (id: string): string => `${GRANT}${id}`,
  access: (tokenHash: string): string => `access#${tokenHash}`,
  refresh: (tokenHash: string): string => `refresh#${tokenHash}`,
};

/** Deletes of one revocation sweep in flight at once: quick for a long-lived grant, gentle on capacity. */
const SWEEP_CONCURRENCY = 16;

/**
 * GrantStore on the `oauth` table (docs/storage.md): one item per record, hash-keyed so load
 * spreads evenly. Codes, access and refresh tokens carry `grantId` (GSI `by-grant`) so revocation
 * finds them; grants carry `tenantShard` + `objectId` (GSI `by-tenant`, sharded) for user and
 * tenant revocation. Single use is decided by DynamoDB: takes are deletes returning the old item,
 * a refresh token's first use is an update conditional on it never having been used. Reads are
 * strongly consistent; expiry is checked on read (TTL deletion is lazy).
 */
export class DynamoGrantStore implements GrantStore {
  constructor(
    private readonly dynamo: DynamoExecutor,
    private readonly table: string,
    private readonly clock: Clock,
  ) {}

  async putPending(id: string, pending: PendingAuthorization): Promise<void> {
    await this.put('oauth pending put', this.item(pk.pending(id), pending));
  }

  async getPending(id: string): Promise<PendingAuthorization | null> {
    return this.live(pendingAuthorizationSchema, await this.get('oauth pending get', pk.pending(id)));
  }

  async updatePending(id: string, pending: PendingAuthorization): Promise<boolean> {
    try {
      await this.put('oauth pending update', this.item(pk.pending(id), pending), {
        ConditionExpression: 'expiresAtMs > :now',
        ExpressionAttributeValues: { ':now': num(this.clock.now()) },
      });
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async takePending(id: string): Promise<PendingAuthorization | null> {
    return this.live(pendingAuthorizationSchema, await this.take('oauth pending take', pk.pending(id)));
  }

  async putCode(codeHash: string, record: AuthorizationCodeRecord): Promise<void> {
    await this.put('oauth code put', this.item(pk.code(codeHash), record, { grantId: str(record.grantId) }));
  }

  async takeCode(codeHash: string): Promise<AuthorizationCodeRecord | null> {
    return this.live(authorizationCodeSchema, await this.take('oauth code take', pk.code(codeHash)));
  }

  async putGrant(grant: Grant): Promise<void> {
    await this.put(
      'oauth grant put',
      this.item(pk.grant(grant.id), grant, {
        tenantShard: str(tenantShard(grant.tenantId, grant.objectId)),
        objectId: str(grant.objectId),
      }),
    );
  }

  async getGrant(id: string): Promise<Grant | null> {
    return this.live(grantSchema, await this.get('oauth grant get', pk.grant(id)));
  }

  /**
   * The grant item goes first: from then on every access-token lookup fails its grant check and
   * the authorization server refuses its codes and refresh tokens (it reads the grant after
   * taking either). The sweep over `by-grant` then deletes the dependents; it is cleanup, so an
   * entry the eventually consistent index has not seen yet is harmless and expires by TTL.
   */
  async revokeGrant(id: string): Promise<void> {
    await this.dynamo.send('oauth grant delete', (c) =>
      c.send(new DeleteItemCommand({ TableName: this.table, Key: { pk: str(pk.grant(id)) } })),
    );
    for await (const page of this.query('oauth grant sweep', {
      IndexName: OAUTH_BY_GRANT_INDEX,
      KeyConditionExpression: 'grantId = :grant',
      ExpressionAttributeValues: { ':grant': str(id) },
    })) {
      const keys = page.flatMap((item) => readString(item, 'pk') ?? []);
      for (let i = 0; i < keys.length; i += SWEEP_CONCURRENCY) {
        await Promise.all(keys.slice(i, i + SWEEP_CONCURRENCY).map((key) => this.delete('oauth grant sweep delete', key)));
      }
    }
  }

  /** From the `by-tenant` index: eventually consistent (docs/storage.md says what that means for revocation). */
  grantIdsForUser(tenantId: string, objectId: string): Promise<string[]> {
    return this.liveGrantIds({
      KeyConditionExpression: 'tenantShard = :shard AND objectId = :oid',
      ExpressionAttributeValues: { ':shard': str(tenantShard(tenantId, objectId)), ':oid': str(objectId) },
    });
  }

  async grantIdsForTenant(tenantId: string): Promise<string[]> {
    const perShard = await Promise.all(
      tenantShards(tenantId).map((shard) =>
        this.liveGrantIds({
          KeyConditionExpression: 'tenantShard = :shard',
          ExpressionAttributeValues: { ':shard': str(shard) },
        }),
      ),
    );
    return perShard.flat();
  }

  async putAccessToken(tokenHash: string, record: AccessTokenRecord): Promise<void> {
    await this.put('oauth access put', this.item(pk.access(tokenHash), record, { grantId: str(record.grantId) }));
  }

  /** Also reads the grant: a revoked grant's tokens stop working at once, whatever the sweep has reached. */
  async getAccessToken(tokenHash: string): Promise<AccessTokenRecord | null> {
    const record = this.live(accessTokenRecordSchema, await this.get('oauth access get', pk.access(tokenHash)));
    if (record === null) return null;
    return (await this.getGrant(record.grantId)) === null ? null : record;
  }

  async deleteAccessToken(tokenHash: string): Promise<void> {
    await this.delete('oauth access delete', pk.access(tokenHash));
  }

  async putRefreshToken(tokenHash: string, record: RefreshTokenRecord): Promise<void> {
    await this.put('oauth refresh put', {
      pk: str(pk.refresh(tokenHash)),
      grantId: str(record.grantId),
      expiresAtMs: num(record.expiresAt),
      expiresAt: num(ttlSeconds(record.expiresAt)),
    });
  }

  /**
   * One conditional update marks the token used; DynamoDB lets exactly one of any number of
   * concurrent callers pass `attribute_not_exists(usedAtMs)`. A failed condition means used
   * (reused), expired or unknown: the old item (returned with the failure, or read consistently
   * where the endpoint does not return it) tells which.
   */
  async useRefreshToken(tokenHash: string): Promise<RefreshTokenUse | null> {
    const key = { pk: str(pk.refresh(tokenHash)) };
    const now = this.clock.now();
    try {
      const { Attributes: item } = await this.dynamo.send('oauth refresh use', (c) =>
        c.send(
          new UpdateItemCommand({
            TableName: this.table,
            Key: key,
            UpdateExpression: 'SET usedAtMs = :now',
            ConditionExpression: 'attribute_exists(pk) AND expiresAtMs > :now AND attribute_not_exists(usedAtMs)',
            ExpressionAttributeValues: { ':now': num(now) },
            ReturnValues: 'ALL_NEW',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      const record = refreshRecord(item);
      return record === null ? null : { status: 'fresh', record };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      const item = (error as { Item?: Item }).Item ?? (await this.get('oauth refresh get', pk.refresh(tokenHash)));
      const record = refreshRecord(item);
      if (record === null || record.expiresAt <= now || readNumber(item, 'usedAtMs') === undefined) return null;
      return { status: 'reused', record };
    }
  }

  private item(key: string, record: { expiresAt: number }, extra: Item = {}): Item {
    return {
      pk: str(key),
      data: str(JSON.stringify(record)),
      expiresAtMs: num(record.expiresAt),
      expiresAt: num(ttlSeconds(record.expiresAt)),
      ...extra,
    };
  }

  private live<T extends { expiresAt: number }>(schema: z.ZodType<T>, item: Item | undefined): T | null {
    const record = parseJsonRecord(schema, readString(item, 'data'));
    return record !== null && record.expiresAt > this.clock.now() ? record : null;
  }

  private async put(
    operation: string,
    item: Item,
    condition?: { ConditionExpression: string; ExpressionAttributeValues: Item },
  ): Promise<void> {
    await this.dynamo.send(operation, (c) => c.send(new PutItemCommand({ TableName: this.table, Item: item, ...condition })));
  }

  private async get(operation: string, key: string): Promise<Item | undefined> {
    const { Item: item } = await this.dynamo.send(operation, (c) =>
      c.send(new GetItemCommand({ TableName: this.table, Key: { pk: str(key) }, ConsistentRead: true })),
    );
    return item;
  }

  /** Deletes and returns what was there: of concurrent takes, exactly one gets the item. */
  private async take(operation: string, key: string): Promise<Item | undefined> {
    const { Attributes: old } = await this.dynamo.send(operation, (c) =>
      c.send(new DeleteItemCommand({ TableName: this.table, Key: { pk: str(key) }, ReturnValues: 'ALL_OLD' })),
    );
    return old;
  }

  private async delete(operation: string, key: string): Promise<void> {
    await this.dynamo.send(operation, (c) => c.send(new DeleteItemCommand({ TableName: this.table, Key: { pk: str(key) } })));
  }

  private async liveGrantIds(condition: Pick<QueryCommandInput, 'KeyConditionExpression' | 'ExpressionAttributeValues'>): Promise<string[]> {
    const ids: string[] = [];
    const now = this.clock.now();
    for await (const page of this.query('oauth grant list', { IndexName: OAUTH_BY_TENANT_INDEX, ...condition })) {
      for (const item of page) {
        const key = readString(item, 'pk');
        if (key?.startsWith(GRANT) && (readNumber(item, 'expiresAtMs') ?? 0) > now) ids.push(key.slice(GRANT.length));
      }
    }
    return ids;
  }

  private async *query(operation: string, input: Omit<QueryCommandInput, 'TableName'>): AsyncGenerator<Item[]> {
    let start: Item | undefined;
    do {
      const page = await this.dynamo.send(operation, (c) =>
        c.send(new QueryCommand({ TableName: this.table, ...input, ...(start === undefined ? {} : { ExclusiveStartKey: start }) })),
      );
      yield page.Items ?? [];
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
  }
}

function refreshRecord(item: Item | undefined): RefreshTokenRecord | null {
  const grantId = readString(item, 'grantId');
  const expiresAt = readNumber(item, 'expiresAtMs');
  return grantId === undefined || expiresAt === undefined ? null : { grantId, expiresAt };
}
