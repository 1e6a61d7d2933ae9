import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTables } from '../../../src/adapters/dynamo/create-tables.js';
import {
  defaultTableNames,
  SESSIONS_BY_USER_INDEX,
  TOKENS_BY_TENANT_INDEX,
} from '../../../src/adapters/dynamo/table-definitions.js';
import { emulatorClient, startDynalite } from '../../support/dynamo.js';
import type { Emulator } from '../../support/dynamo.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startDynalite();
});
afterAll(async () => emulator.close());

describe('createTables', () => {
  it('creates every table with its indexes, and a second run changes nothing', async () => {
    const client = emulatorClient(emulator.endpoint);
    const names = defaultTableNames('dev-');
    const first = await createTables(client, names);
    expect(first.map((t) => [t.name, t.created])).toEqual(Object.values(names).map((name) => [name, true]));
    const second = await createTables(client, names);
    expect(second.every((t) => !t.created)).toBe(true);

    const tokens = await client.send(new DescribeTableCommand({ TableName: names.tokens }));
    expect(tokens.Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual([TOKENS_BY_TENANT_INDEX]);
    const sessions = await client.send(new DescribeTableCommand({ TableName: names.sessions }));
    expect(sessions.Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual([SESSIONS_BY_USER_INDEX]);
    expect(tokens.Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
  });
});
