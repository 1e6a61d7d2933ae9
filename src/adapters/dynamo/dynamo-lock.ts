import { randomUUID } from 'node:crypto';
import { DeleteItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { Clock } from '../../ports/clock.js';
import type { Lock, LockLease } from '../../ports/lock.js';
import { num, str, ttlSeconds } from './attribute-values.js';
import { isConditionalCheckFailed } from './dynamo-executor.js';
import type { DynamoExecutor } from './dynamo-executor.js';

/**
 * A lease item per lock key: acquired by a put conditional on no live lease, released by a delete
 * conditional on the owner token. Lease expiry uses the replicas' clocks (NTP-synced on ECS), so
 * keep TTLs well above any plausible skew.
 */
export class DynamoLock implements Lock {
  constructor(
    private readonly dynamo: DynamoExecutor,
    private readonly table: string,
    private readonly clock: Clock,
  ) {}

  async tryAcquire(key: string, ttlMs: number): Promise<LockLease | null> {
    const owner = randomUUID();
    const now = this.clock.now();
    try {
      await this.dynamo.send('lock acquire', (c) =>
        c.send(
          new PutItemCommand({
            TableName: this.table,
            Item: {
              pk: str(key),
              owner: str(owner),
              leaseUntilMs: num(now + ttlMs),
              expiresAt: num(ttlSeconds(now + ttlMs) + 60),
            },
            ConditionExpression:
              'attribute_not_exists(pk) OR leaseUntilMs <= :now OR NOT attribute_type(leaseUntilMs, :n)',
            ExpressionAttributeValues: { ':now': num(now), ':n': str('N') },
          }),
        ),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) return null;
      throw error;
    }
    return { release: () => this.release(key, owner) };
  }

  private async release(key: string, owner: string): Promise<void> {
    try {
      await this.dynamo.send('lock release', (c) =>
        c.send(
          new DeleteItemCommand({
            TableName: this.table,
            Key: { pk: str(key) },
            ConditionExpression: '#owner = :owner',
            ExpressionAttributeNames: { '#owner': 'owner' },
            ExpressionAttributeValues: { ':owner': str(owner) },
          }),
        ),
      );
    } catch (error) {
      // Someone else holds it now (our lease expired): theirs to release.
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }
}
