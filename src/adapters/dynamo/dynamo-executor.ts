import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { RetryPolicy } from 'cockatiel';
import { DomainError, isDomainError } from '../../domain/errors.js';
import { awsRetryPolicy, isTransientAwsError } from '../aws/aws-retry.js';
import type { AwsRetryOptions } from '../aws/aws-retry.js';
import { timedStoreOp, type StoreOpObserver } from '../shared/timed-store-op.js';

export type DynamoRetryOptions = AwsRetryOptions;

export interface DynamoExecutorOptions extends DynamoRetryOptions {
  /** Told about every attempt: its latency and, when it failed, the failure's name (metrics). */
  observe?: StoreOpObserver;
}

export function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/**
 * Sends DynamoDB commands with backoff on throttling and transient failures. When retries run out
 * the failure becomes `unavailable`; a failed condition is handed back untouched for the caller
 * to interpret; anything else is a bug or misconfiguration (`internal`).
 */
export class DynamoExecutor {
  private readonly policy: RetryPolicy;
  private readonly observe: StoreOpObserver | undefined;

  constructor(
    readonly client: DynamoDBClient,
    options: DynamoExecutorOptions = {},
  ) {
    this.policy = awsRetryPolicy(options);
    this.observe = options.observe;
  }

  async send<T>(operation: string, call: (client: DynamoDBClient) => Promise<T>): Promise<T> {
    try {
      return await this.policy.execute(() => this.attempt(operation, call));
    } catch (error) {
      if (isDomainError(error) || isConditionalCheckFailed(error)) throw error;
      if (isTransientAwsError(error)) {
        throw new DomainError(
          'unavailable',
          'dynamo.unavailable',
          `DynamoDB ${operation} is unavailable; try again shortly.`,
          {
            cause: error,
          },
        );
      }
      throw new DomainError('internal', 'dynamo.failed', `DynamoDB ${operation} failed.`, { cause: error });
    }
  }

  /** One attempt, timed. A failed condition is an answer (a lost race), not an error of the store. */
  private attempt<T>(operation: string, call: (client: DynamoDBClient) => Promise<T>): Promise<T> {
    return timedStoreOp(this.observe, operation, () => call(this.client), (error) =>
      isConditionalCheckFailed(error) ? undefined : error instanceof Error ? error.name : 'unknown',
    );
  }
}
