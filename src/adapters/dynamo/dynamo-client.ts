import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface DynamoClientOptions {
  region: string;
  /** Set for emulators (dynalite) and VPC endpoints; omitted in AWS. */
  endpoint?: string;
  /** Static credentials for emulators; in AWS the default provider chain (task role) is used. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  requestTimeoutMs?: number;
  connectionTimeoutMs?: number;
}

/**
 * A DynamoDB client making exactly one attempt per call: retries and backoff live in
 * DynamoExecutor (cockatiel) so they are configurable and end in a typed `unavailable`.
 */
export function createDynamoClient(options: DynamoClientOptions): DynamoDBClient {
  return new DynamoDBClient({
    region: options.region,
    maxAttempts: 1,
    requestHandler: {
      requestTimeout: options.requestTimeoutMs ?? 2_000,
      connectionTimeout: options.connectionTimeoutMs ?? 1_000,
    },
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
  });
}
