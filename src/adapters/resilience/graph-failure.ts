import { DomainError, isDomainError } from '../../domain/errors.js';

/** Refusals made by the policy itself: no Graph call happened, so nothing to retry or count. */
export const LOCAL_REFUSALS: ReadonlySet<string> = new Set([
  'graph.circuitOpen',
  'graph.bulkheadFull',
  'graph.tenantBackoff',
  'graph.mailboxBackoff',
]);

/** A 429 or 503 response proves Graph did not carry the request out, so even a send may be retried. */
export function provesNotProcessed(error: unknown): boolean {
  return isDomainError(error) && (error.httpStatus === 429 || error.httpStatus === 503);
}

/** Worth another attempt if the operation allows it: throttling, 5xx, timeouts, network failures. */
export function isTransient(error: unknown): error is DomainError {
  if (!isDomainError(error) || LOCAL_REFUSALS.has(error.code)) return false;
  return error.category === 'throttled' || error.category === 'unavailable' || error.category === 'timeout';
}

/** What says a family is unhealthy (for its breaker): 5xx, timeouts, unreachable. Not 429: throttling is per mailbox or tenant. */
export function isOutage(error: unknown): boolean {
  if (!isDomainError(error) || LOCAL_REFUSALS.has(error.code)) return false;
  if (error.httpStatus !== undefined) return error.httpStatus >= 500;
  return error.category === 'unavailable' || error.category === 'timeout';
}

/**
 * A non-idempotent call failed after Graph may have acted (timeout, reset, 500/502/504): say so,
 * rather than invite a blind retry that could send twice.
 */
export function outcomeUnknown(cause: DomainError): DomainError {
  return new DomainError(
    'unavailable',
    'graph.outcomeUnknown',
    'The request reached Microsoft Graph but its answer was lost, so it may have been carried out. ' +
      'Retry only with the same idempotency_key (which never acts twice), or check first (e.g. Sent Items).',
    { cause, ...(cause.graphRequestId === undefined ? {} : { graphRequestId: cause.graphRequestId }), ...(cause.httpStatus === undefined ? {} : { httpStatus: cause.httpStatus }) },
  );
}
