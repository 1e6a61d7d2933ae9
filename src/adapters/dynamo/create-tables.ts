import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { tableDefinitions, TTL_ATTRIBUTE } from './table-definitions.js';
import type { DynamoTableNames } from './table-definitions.js';

export interface CreatedTable {
  name: string;
  created: boolean;
  /** False where the endpoint has no TTL support (dynalite); expiry is still checked on read. */
  ttlEnabled: boolean;
}

/**
 * Creates the gateway's tables if missing and waits until they are active; safe to run again.
 * Meant for development emulators (`npm run admin -- create-tables`); AWS tables come from Terraform.
 */
export async function createTables(client: DynamoDBClient, names: DynamoTableNames): Promise<CreatedTable[]> {
  const results: CreatedTable[] = [];
  for (const definition of tableDefinitions(names)) {
    const name = definition.TableName ?? '';
    let created = true;
    try {
      await client.send(new CreateTableCommand(definition));
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
      created = false;
    }
    await waitUntilActive(client, name);
    results.push({ name, created, ttlEnabled: await enableTtl(client, name) });
  }
  return results;
}

async function waitUntilActive(client: DynamoDBClient, name: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Table ${name} did not become active`);
}

async function enableTtl(client: DynamoDBClient, name: string): Promise<boolean> {
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: name,
        TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      }),
    );
    return true;
  } catch {
    // dynalite has no UpdateTimeToLive and AWS refuses a repeat; both are fine here.
    return false;
  }
}
