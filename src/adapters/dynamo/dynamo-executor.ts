import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import type { RetryPolicy } from 'cockatiel';
import { DomainError, isDomainError } from '../../domain/errors.js';

export interface DynamoRetryOptions {
  /** Retries after the first attempt. */
  retries?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
}

const TRANSIENT = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
]);

interface AwsLikeError {
  name?: string;
  $metadata?: { httpStatusCode?: number };
}

/** Throttling, 5xx and network failures are worth retrying; a 4xx answer is not. */
export function isTransientAwsError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, $metadata } = error as AwsLikeError;
  if (name !== undefined && TRANSIENT.has(name)) return true;
  const status = $metadata?.httpStatusCode;
  return status === undefined || status >= 500;
}

export function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/**
 * Sends DynamoDB commands with jittered exponential backoff on transient failures. When retries
 * run out the failure becomes `unavailable`; a failed condition is handed back untouched for
 * the caller to interpret; anything else is a bug or misconfiguration (`internal`).
 */
export class DynamoExecutor {
  private readonly policy: RetryPolicy;

  constructor(
    readonly client: DynamoDBClient,
    options: DynamoRetryOptions = {},
  ) {
    this.policy = retry(handleWhen(isTransientAwsError), {
      maxAttempts: options.retries ?? 3,
      backoff: new ExponentialBackoff({ initialDelay: options.initialDelayMs ?? 50, maxDelay: options.maxDelayMs ?? 1_000 }),
    });
  }

  async send<T>(operation: string, call: (client: DynamoDBClient) => Promise<T>): Promise<T> {
    try {
      return await this.policy.execute(() => call(this.client));
    } catch (error) {
      if (isDomainError(error) || isConditionalCheckFailed(error)) throw error;
      if (isTransientAwsError(error)) {
        throw new DomainError('unavailable', 'dynamo.unavailable', `DynamoDB ${operation} is unavailable; try again shortly.`, {
          cause: error,
        });
      }
      throw new DomainError('internal', 'dynamo.failed', `DynamoDB ${operation} failed.`, { cause: error });
    }
  }
}
