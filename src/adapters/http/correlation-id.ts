import { randomUUID } from 'node:crypto';

const VALID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * The id that ties a client's report to our logs: the caller's `X-Correlation-Id` when it is
 * well-formed, else the trace id of a W3C `traceparent`, else a fresh UUID.
 */
export function correlationIdFrom(headers: Headers): string {
  const given = headers.get('x-correlation-id');
  if (given && VALID.test(given)) return given;
  const traceId = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/.exec(headers.get('traceparent') ?? '')?.[1];
  if (traceId && !/^0+$/.test(traceId)) return traceId;
  return randomUUID();
}
