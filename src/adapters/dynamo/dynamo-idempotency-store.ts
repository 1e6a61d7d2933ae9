import { DeleteItemCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { Clock } from '../../ports/clock.js';
import type { IdempotencyClaim, IdempotencyStore } from '../../ports/idempotency-store.js';
import { claimAgainst, idempotencyRecordSchema, parseRecord } from '../shared/stored-records.js';
import type { IdempotencyRecord } from '../shared/stored-records.js';
import { num, readNumber, readString, str, ttlSeconds } from './attribute-values.js';
import type { Item } from './attribute-values.js';
import { isConditionalCheckFailed } from './dynamo-executor.js';
import type { DynamoExecutor } from './dynamo-executor.js';

// The key is free when there is no record, it expired, or it is malformed.
const FREE =
  'attribute_not_exists(pk) OR expiresAtMs <= :now OR NOT (attribute_type(fingerprint, :s) AND attribute_type(#state, :s) AND attribute_type(expiresAtMs, :n))';

/**
 * Idempotency records keyed by the idempotency key (pk). A claim is one conditional put, so
 * DynamoDB decides the single winner among any number of replicas.
 */
export class DynamoIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly dynamo: DynamoExecutor,
    private readonly table: string,
    private readonly clock: Clock,
  ) {}

  async claim(key: string, fingerprint: string, ttlMs: number): Promise<IdempotencyClaim> {
    // A losing put reads the winner; if the winner vanished in between (released, expired), try again.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const now = this.clock.now();
      try {
        await this.dynamo.send('idempotency claim', (c) =>
          c.send(
            new PutItemCommand({
              TableName: this.table,
              Item: this.item(key, { fingerprint, state: 'pending', expiresAt: now + ttlMs }),
              ConditionExpression: FREE,
              ExpressionAttributeNames: { '#state': 'state' },
              ExpressionAttributeValues: { ':now': num(now), ':s': str('S'), ':n': str('N') },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            }),
          ),
        );
        return { state: 'claimed' };
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
        const returned = (error as { Item?: Item }).Item;
        const current = this.parse(returned ?? (await this.read(key)));
        if (current !== null && current.expiresAt > this.clock.now())
          return claimAgainst(current, fingerprint);
      }
    }
    return { state: 'in_progress' };
  }

  async complete(key: string, fingerprint: string, result: string, ttlMs: number): Promise<void> {
    const now = this.clock.now();
    try {
      await this.dynamo.send('idempotency complete', (c) =>
        c.send(
          new PutItemCommand({
            TableName: this.table,
            Item: this.item(key, { fingerprint, state: 'done', result, expiresAt: now + ttlMs }),
            ConditionExpression: `fingerprint = :fp OR ${FREE}`,
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: {
              ':fp': str(fingerprint),
              ':now': num(now),
              ':s': str('S'),
              ':n': str('N'),
            },
          }),
        ),
      );
    } catch (error) {
      // Another fingerprint owns the key now: its record wins.
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  async release(key: string, fingerprint: string): Promise<void> {
    try {
      await this.dynamo.send('idempotency release', (c) =>
        c.send(
          new DeleteItemCommand({
            TableName: this.table,
            Key: { pk: str(key) },
            ConditionExpression: 'fingerprint = :fp AND #state = :pending',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':fp': str(fingerprint), ':pending': str('pending') },
          }),
        ),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  private async read(key: string): Promise<Item | undefined> {
    const { Item: item } = await this.dynamo.send('idempotency read', (c) =>
      c.send(new GetItemCommand({ TableName: this.table, Key: { pk: str(key) }, ConsistentRead: true })),
    );
    return item;
  }

  private parse(item: Item | undefined): IdempotencyRecord | null {
    if (item === undefined) return null;
    return parseRecord(idempotencyRecordSchema, {
      fingerprint: readString(item, 'fingerprint'),
      state: readString(item, 'state'),
      result: readString(item, 'result'),
      expiresAt: readNumber(item, 'expiresAtMs'),
    });
  }

  private item(key: string, record: IdempotencyRecord): Item {
    return {
      pk: str(key),
      fingerprint: str(record.fingerprint),
      state: str(record.state),
      ...(record.result === undefined ? {} : { result: str(record.result) }),
      expiresAtMs: num(record.expiresAt),
      expiresAt: num(ttlSeconds(record.expiresAt)),
    };
  }
}
