import { DeleteItemCommand, GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { Clock } from '../../ports/clock.js';
import type { McpSession, SessionStore } from '../../ports/session-store.js';
import { parseJsonRecord, sessionSchema } from '../shared/stored-records.js';
import { num, readNumber, readString, str, ttlSeconds } from './attribute-values.js';
import type { Item } from './attribute-values.js';
import type { DynamoExecutor } from './dynamo-executor.js';
import { SESSIONS_BY_USER_INDEX } from './table-definitions.js';

const userKey = (tenantId: string, objectId: string): string => `${tenantId}#${objectId}`;

/**
 * Sessions keyed by their random id (pk), the record as JSON in `data`; a per-user GSI serves
 * revocation. Reads are strongly consistent; the GSI is eventually consistent (docs/storage.md).
 */
export class DynamoSessionStore implements SessionStore {
  constructor(
    private readonly dynamo: DynamoExecutor,
    private readonly table: string,
    private readonly clock: Clock,
  ) {}

  async create(session: McpSession): Promise<void> {
    await this.dynamo.send('session create', (c) =>
      c.send(
        new PutItemCommand({
          TableName: this.table,
          Item: {
            pk: str(session.id),
            userKey: str(userKey(session.tenantId, session.objectId)),
            data: str(JSON.stringify(session)),
            expiresAtMs: num(session.expiresAt),
            expiresAt: num(ttlSeconds(session.expiresAt)),
          },
        }),
      ),
    );
  }

  async get(id: string): Promise<McpSession | null> {
    const { Item: item } = await this.dynamo.send('session get', (c) =>
      c.send(new GetItemCommand({ TableName: this.table, Key: { pk: str(id) }, ConsistentRead: true })),
    );
    const session = parseJsonRecord(sessionSchema, readString(item, 'data'));
    return session !== null && session.expiresAt > this.clock.now() ? session : null;
  }

  async delete(id: string): Promise<void> {
    await this.dynamo.send('session delete', (c) =>
      c.send(new DeleteItemCommand({ TableName: this.table, Key: { pk: str(id) } })),
    );
  }

  /**
   * Finds the user's sessions through the `by-user` GSI, which DynamoDB keeps eventually
   * consistent (a GSI query cannot ask for a consistent read): a session created within the index's
   * propagation delay before this call can be missed and survive. That is tolerable because a session
   * never authenticates (SessionBinding wants a live bearer token of the same tenant, oid and sub
   * on every request, and revocation removes those first); it expires at its end. docs/storage.md.
   */
  async deleteForUser(tenantId: string, objectId: string): Promise<number> {
    const ids: string[] = [];
    let start: Item | undefined;
    do {
      const page = await this.dynamo.send('session list', (c) =>
        c.send(
          new QueryCommand({
            TableName: this.table,
            IndexName: SESSIONS_BY_USER_INDEX,
            KeyConditionExpression: 'userKey = :user',
            ExpressionAttributeValues: { ':user': str(userKey(tenantId, objectId)) },
            ...(start === undefined ? {} : { ExclusiveStartKey: start }),
          }),
        ),
      );
      for (const item of page.Items ?? []) {
        const id = readString(item, 'pk');
        if (id !== undefined) ids.push(id);
      }
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    const removed = await Promise.all(ids.map((id) => this.deleteLive(id)));
    return removed.filter(Boolean).length;
  }

  /** Deletes one session; true when it was still live (expired leftovers are not counted). */
  private async deleteLive(id: string): Promise<boolean> {
    const { Attributes: old } = await this.dynamo.send('session delete', (c) =>
      c.send(new DeleteItemCommand({ TableName: this.table, Key: { pk: str(id) }, ReturnValues: 'ALL_OLD' })),
    );
    return (readNumber(old, 'expiresAtMs') ?? 0) > this.clock.now();
  }
}
