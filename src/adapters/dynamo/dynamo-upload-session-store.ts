import { DeleteItemCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { UploadSessionState } from '../../domain/upload-session.js';
import type { Clock } from '../../ports/clock.js';
import type { UploadSessionStore } from '../../ports/upload-session-store.js';
import { UPLOAD_SESSION_GRACE_MS } from '../memory/in-memory-upload-session-store.js';
import { parseJsonRecord, uploadSessionRecordSchema, type UploadSessionRecord } from '../shared/stored-records.js';
import { num, readNumber, readString, str, ttlSeconds } from './attribute-values.js';
import type { Item } from './attribute-values.js';
import { isConditionalCheckFailed } from './dynamo-executor.js';
import type { DynamoExecutor } from './dynamo-executor.js';

/**
 * Upload sessions keyed by upload id (pk): the record as JSON in `data` except the unaligned tail,
 * which is a Binary attribute (up to 320 KiB - 1 bytes; as base64 it would pass DynamoDB's 400 KB
 * item limit). `version` is an attribute of its own so writes can be conditional on it
 * (compare-and-set), and `expiresAtMs` (session expiry + grace) is checked on every read and
 * write because DynamoDB's TTL deletes lazily and dynalite never does. Reads are strongly
 * consistent: the next chunk may arrive at another replica right after this one wrote.
 */
export class DynamoUploadSessionStore implements UploadSessionStore {
  constructor(
    private readonly dynamo: DynamoExecutor,
    private readonly table: string,
    private readonly clock: Clock,
  ) {}

  async create(state: UploadSessionState): Promise<void> {
    try {
      await this.dynamo.send('upload create', (c) =>
        c.send(
          new PutItemCommand({
            TableName: this.table,
            Item: this.item({ ...state, version: 1 }),
            ConditionExpression: 'attribute_not_exists(pk) OR expiresAtMs <= :now',
            ExpressionAttributeValues: { ':now': num(this.clock.now()) },
          }),
        ),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw new Error(`upload session ${state.id} exists`, { cause: error });
      throw error;
    }
  }

  async get(id: string): Promise<UploadSessionState | null> {
    const { Item: item } = await this.dynamo.send('upload get', (c) =>
      c.send(new GetItemCommand({ TableName: this.table, Key: { pk: str(id) }, ConsistentRead: true })),
    );
    if ((readNumber(item, 'expiresAtMs') ?? 0) <= this.clock.now()) return null;
    const record = parseJsonRecord(uploadSessionRecordSchema, readString(item, 'data'));
    const version = readNumber(item, 'version');
    if (record === null || record.id !== id || version === undefined) return null;
    const tail = item?.['tail']?.B;
    return { ...record, tail: tail === undefined ? new Uint8Array() : new Uint8Array(tail), version };
  }

  async update(next: UploadSessionState, expectedVersion: number): Promise<boolean> {
    try {
      await this.dynamo.send('upload update', (c) =>
        c.send(
          new PutItemCommand({
            TableName: this.table,
            Item: this.item({ ...next, version: expectedVersion + 1 }),
            ConditionExpression: 'version = :expected AND expiresAtMs > :now',
            ExpressionAttributeValues: { ':expected': num(expectedVersion), ':now': num(this.clock.now()) },
          }),
        ),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async delete(id: string): Promise<void> {
    await this.dynamo.send('upload delete', (c) => c.send(new DeleteItemCommand({ TableName: this.table, Key: { pk: str(id) } })));
  }

  private item(state: UploadSessionState): Item {
    const { tail, version, ...rest } = state;
    const record: UploadSessionRecord = rest;
    const until = state.expiresAt + UPLOAD_SESSION_GRACE_MS;
    return {
      pk: str(state.id),
      data: str(JSON.stringify(record)),
      // A copy: the SDK may hold the bytes until the request is sent, the caller may reuse its buffer.
      ...(tail.byteLength === 0 ? {} : { tail: { B: new Uint8Array(tail) } }),
      version: num(version),
      expiresAtMs: num(until),
      expiresAt: num(ttlSeconds(until)),
    };
  }
}
