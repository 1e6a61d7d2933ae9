import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import type { AddressInfo } from 'node:net';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { createDynamoClient } from '../../src/adapters/dynamo/dynamo-client.js';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { createTables } from '../../src/adapters/dynamo/create-tables.js';
import { DynamoExecutor } from '../../src/adapters/dynamo/dynamo-executor.js';
import type { DynamoRetryOptions } from '../../src/adapters/dynamo/dynamo-executor.js';
import { defaultTableNames, tableDefinitions } from '../../src/adapters/dynamo/table-definitions.js';
import type { DynamoTableNames } from '../../src/adapters/dynamo/table-definitions.js';

export interface Emulator {
  endpoint: string;
  close(): Promise<void>;
}

/** An in-process dynalite (in memory) on a free loopback port. */
export async function startDynalite(): Promise<Emulator> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections(); // SDK keep-alive sockets would hold close() for seconds
        server.close(() => resolve());
      }),
  };
}

export function emulatorClient(endpoint: string): DynamoDBClient {
  return createDynamoClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
}

export interface TestTables {
  executor: DynamoExecutor;
  client: DynamoDBClient;
  names: DynamoTableNames;
}

const FAST_RETRY: DynamoRetryOptions = { initialDelayMs: 5, maxDelayMs: 20 };

/** Creates a fresh set of tables (unique prefix) through the same code as `admin create-tables`. */
export async function makeTestTables(
  endpoint: string,
  retry: DynamoRetryOptions = FAST_RETRY,
): Promise<TestTables> {
  const client = emulatorClient(endpoint);
  const names = defaultTableNames(`t${randomUUID().slice(0, 8)}-`);
  await createTables(client, names);
  return { client, names, executor: new DynamoExecutor(client, retry) };
}

/**
 * An emulator with a fresh set of tables for the calling test file (registers its beforeAll and
 * afterAll hooks). The returned object's fields are readable once the hooks ran, i.e. in tests.
 */
export function emulatorTablesForFile(): TestTables {
  let emulator: Emulator | undefined;
  let tables: TestTables | undefined;
  beforeAll(async () => {
    emulator = await startDynalite();
    tables = await makeTestTables(emulator.endpoint);
  });
  afterAll(async () => emulator?.close());
  const ready = (): TestTables => {
    if (tables === undefined) throw new Error('the emulator tables exist only inside tests');
    return tables;
  };
  return {
    get executor() {
      return ready().executor;
    },
    get client() {
      return ready().client;
    },
    get names() {
      return ready().names;
    },
  };
}

/** A fresh copy of one table only (cheaper, for tests that need an empty table each time). */
export async function makeTestTable(endpoint: string, which: keyof DynamoTableNames): Promise<TestTables> {
  const client = emulatorClient(endpoint);
  const names = defaultTableNames(`t${randomUUID().slice(0, 8)}-`);
  const definition = tableDefinitions(names).find((d) => d.TableName === names[which]);
  if (definition !== undefined) await client.send(new CreateTableCommand(definition));
  return { client, names, executor: new DynamoExecutor(client, FAST_RETRY) };
}
