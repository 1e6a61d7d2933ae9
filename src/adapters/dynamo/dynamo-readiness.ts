import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ReadinessCheck } from '../http/readiness.js';
import type { DynamoTableNames } from './table-definitions.js';

/** Every configured table exists and is ACTIVE; the message names the first one that is not. */
export function dynamoReadinessCheck(client: DynamoDBClient, names: DynamoTableNames): ReadinessCheck {
  return {
    name: 'dynamodb',
    check: async (signal: AbortSignal): Promise<void> => {
      await Promise.all(
        Object.values(names).map(async (name) => {
          try {
            const { Table } = await client.send(new DescribeTableCommand({ TableName: name }), {
              abortSignal: signal,
            });
            if (Table?.TableStatus !== 'ACTIVE')
              throw new Error(`table ${name} is ${Table?.TableStatus ?? 'unknown'}`);
          } catch (error) {
            if (error instanceof Error && error.name === 'ResourceNotFoundException')
              throw new Error(`table ${name} does not exist`, { cause: error });
            throw error;
          }
        }),
      );
    },
  };
}
