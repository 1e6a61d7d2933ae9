import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoExecutor, isConditionalCheckFailed } from '../../../src/adapters/dynamo/dynamo-executor.js';
import { DynamoLock } from '../../../src/adapters/dynamo/dynamo-lock.js';
import { SystemClock } from '../../../src/adapters/system/system-clock.js';
import { makeTestTable, startDynalite, type Emulator } from '../../support/dynamo.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startDynalite();
});
afterAll(async () => emulator?.close());

describe('DynamoExecutor observer', () => {
  it('reports every attempt with its latency; a lost condition is not an error, a missing table is', async () => {
    const t = await makeTestTable(emulator.endpoint, 'locks');
    const seen: Array<{ operation: string; error?: string }> = [];
    const executor = new DynamoExecutor(t.client, {
      retries: 0,
      observe: (operation, ms, error) => {
        expect(ms).toBeGreaterThanOrEqual(0);
        seen.push(error === undefined ? { operation } : { operation, error });
      },
    });
    const lock = new DynamoLock(executor, t.names.locks, new SystemClock());
    expect(await lock.tryAcquire('k', 5_000)).not.toBeNull();
    expect(await lock.tryAcquire('k', 5_000)).toBeNull(); // conditional put lost
    await expect(
      executor.send('probe get', (c) => c.send(new GetItemCommand({ TableName: 'no-such-table', Key: { pk: { S: 'x' } } }))),
    ).rejects.toMatchObject({ category: 'internal', code: 'dynamo.failed' });
    expect(seen.filter((s) => s.error !== undefined)).toEqual([{ operation: 'probe get', error: 'ResourceNotFoundException' }]);
    expect(seen.filter((s) => s.operation === 'lock acquire').length).toBeGreaterThanOrEqual(2);
    expect(isConditionalCheckFailed(new Error('x'))).toBe(false);
  });
});
