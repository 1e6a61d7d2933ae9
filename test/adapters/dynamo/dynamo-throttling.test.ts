import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoExecutor } from '../../../src/adapters/dynamo/dynamo-executor.js';
import { DynamoIdempotencyStore } from '../../../src/adapters/dynamo/dynamo-idempotency-store.js';
import { DynamoTokenStore } from '../../../src/adapters/dynamo/dynamo-token-store.js';
import { ManualClock } from '../../../src/adapters/memory/manual-clock.js';
import { emulatorClient, makeTestTables, startDynalite } from '../../support/dynamo.js';
import type { Emulator, TestTables } from '../../support/dynamo.js';
import { startFaultProxy } from '../../support/fault-proxy.js';
import type { FaultProxy } from '../../support/fault-proxy.js';

let emulator: Emulator;
let proxy: FaultProxy;
let tables: TestTables;
let executor: DynamoExecutor;
beforeAll(async () => {
  emulator = await startDynalite();
  tables = await makeTestTables(emulator.endpoint);
  proxy = await startFaultProxy(emulator.endpoint);
  executor = new DynamoExecutor(emulatorClient(proxy.endpoint), {
    retries: 3,
    initialDelayMs: 5,
    maxDelayMs: 20,
  });
});
afterAll(async () => {
  await proxy.close();
  await emulator.close();
});

const clock = new ManualClock(Date.now());
const record = { tenantId: 't', objectId: 'o', sealed: 's', version: 1, expiresAt: clock.now() + 60_000 };

describe('DynamoDB throttling at the wire', () => {
  it('retries ProvisionedThroughputExceededException with backoff and succeeds', async () => {
    const store = new DynamoTokenStore(executor, tables.names.tokens, clock);
    const before = proxy.requests;
    proxy.failNext(2, 'ProvisionedThroughputExceededException');
    expect(await store.put(record)).toBe(true);
    expect(proxy.requests - before).toBe(3);
    expect(await store.get('t', 'o')).toEqual(record);
  });

  it('surfaces unavailable once retries are exhausted, then recovers', async () => {
    const store = new DynamoTokenStore(executor, tables.names.tokens, clock);
    const before = proxy.requests;
    proxy.failNext(4, 'ProvisionedThroughputExceededException');
    await expect(store.get('t', 'o')).rejects.toMatchObject({
      category: 'unavailable',
      code: 'dynamo.unavailable',
      retryable: true,
    });
    expect(proxy.requests - before).toBe(4);
    expect(await store.get('t', 'o')).toEqual(record);
  });

  it('does not turn a throttled claim into a second winner', async () => {
    const store = new DynamoIdempotencyStore(executor, tables.names.idempotency, clock);
    proxy.failNext(2, 'ThrottlingException');
    expect(await store.claim('k', 'fp', 60_000)).toEqual({ state: 'claimed' });
    proxy.failNext(1, 'ProvisionedThroughputExceededException');
    expect(await store.claim('k', 'fp', 60_000)).toEqual({ state: 'in_progress' });
  });

  it('does not retry a client error, and reports it as internal', async () => {
    const store = new DynamoTokenStore(executor, 'no-such-table', clock);
    const before = proxy.requests;
    await expect(store.get('t', 'o')).rejects.toMatchObject({ category: 'internal', code: 'dynamo.failed' });
    expect(proxy.requests - before).toBe(1);
  });
});
