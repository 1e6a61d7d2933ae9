import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import type { RetryPolicy } from 'cockatiel';

export interface AwsRetryOptions {
  /** Retries after the first attempt. */
  retries?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
}

const TRANSIENT = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'InternalServerError',
  'KMSInternalException',
  'DependencyTimeoutException',
  'ServiceUnavailable',
  'TimeoutError',
]);

interface AwsLikeError {
  name?: string;
  $metadata?: { httpStatusCode?: number };
}

/** Throttling, 5xx and network failures (no HTTP answer) are worth retrying; a 4xx answer is not. */
export function isTransientAwsError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, $metadata } = error as AwsLikeError;
  if (name !== undefined && TRANSIENT.has(name)) return true;
  const status = $metadata?.httpStatusCode;
  return status === undefined || status >= 500;
}

/**
 * Jittered exponential backoff for AWS calls. SDK clients are built with `maxAttempts: 1` so this
 * is the only retry layer, configurable and ending in a typed error chosen by the adapter.
 */
export function awsRetryPolicy(options: AwsRetryOptions = {}): RetryPolicy {
  return retry(handleWhen(isTransientAwsError), {
    maxAttempts: options.retries ?? 3,
    backoff: new ExponentialBackoff({
      initialDelay: options.initialDelayMs ?? 50,
      maxDelay: options.maxDelayMs ?? 1_000,
    }),
  });
}
