import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ReadinessCheck } from '../http/readiness.js';
import type { DynamoTableNames } from './table-definitions.js';

/**
 * Every configured table answers a GetItem for a key no record uses. GetItem (not DescribeTable)
 * because the task role is granted item actions only; the message names the first missing table.
 */
export function dynamoReadinessCheck(client: DynamoDBClient, names: DynamoTableNames): ReadinessCheck {
  return {
    name: 'dynamodb',
    check: async (signal: AbortSignal): Promise<void> => {
      await Promise.all(
        Object.values(names).map(async (name) => {
          try {
            await client.send(new GetItemCommand({ TableName: name, Key: { pk: { S: '__readiness__' } } }), {
              abortSignal: signal,
            });
          } catch (error) {
            if (error instanceof Error && error.name === 'ResourceNotFoundException') {
              throw new Error(`table ${name} does not exist`, { cause: error });
            }
            throw error;
          }
        }),
      );
    },
  };
}
