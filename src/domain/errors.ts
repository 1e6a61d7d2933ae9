/**
 * The closed error taxonomy (ARCHITECTURE.md). Adapters translate their world's failures into a
 * DomainError; the edge maps it to an MCP tool result in exactly one place.
 */
export const ERROR_CATEGORIES = [
  'invalid_input',
  'auth_required',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'rate_limited',
  'throttled',
  'unavailable',
  'timeout',
  'feature_disabled',
  'internal',
] as const;

export type ErrorCategory = (typeof ERROR_CATEGORIES)[number];

const RETRYABLE: ReadonlySet<ErrorCategory> = new Set(['rate_limited', 'throttled', 'unavailable', 'timeout']);

export interface DomainErrorDetails {
  retryAfterSeconds?: number;
  graphRequestId?: string;
  /** HTTP status of the upstream (Graph) response, when there was one: lets a retry policy decide. */
  httpStatus?: number;
  /** Where the user can sign in again (auth_required only). */
  loginUrl?: string;
  cause?: unknown;
}

export class DomainError extends Error {
  readonly category: ErrorCategory;
  readonly code: string;
  readonly retryable: boolean;
  readonly retryAfterSeconds?: number;
  readonly graphRequestId?: string;
  readonly httpStatus?: number;
  readonly loginUrl?: string;

  constructor(category: ErrorCategory, code: string, message: string, details: DomainErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'DomainError';
    this.category = category;
    this.code = code;
    this.retryable = RETRYABLE.has(category);
    if (details.retryAfterSeconds !== undefined) this.retryAfterSeconds = details.retryAfterSeconds;
    if (details.graphRequestId !== undefined) this.graphRequestId = details.graphRequestId;
    if (details.httpStatus !== undefined) this.httpStatus = details.httpStatus;
    if (details.loginUrl !== undefined) this.loginUrl = details.loginUrl;
  }
}

export function isDomainError(value: unknown): value is DomainError {
  return value instanceof DomainError;
}

export const invalidInput = (code: string, message: string): DomainError =>
  new DomainError('invalid_input', code, message);

export const notFound = (code: string, message: string): DomainError => new DomainError('not_found', code, message);

export const payloadTooLarge = (code: string, message: string): DomainError =>
  new DomainError('payload_too_large', code, message);
