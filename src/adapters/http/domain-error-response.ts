import type { DomainError } from '../../domain/errors.js';
import { toToolError } from './error-mapper.js';

const STATUS: Readonly<Record<DomainError['category'], number>> = {
  invalid_input: 400,
  auth_required: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  throttled: 429,
  unavailable: 503,
  timeout: 504,
  feature_disabled: 403,
  internal: 500,
};

/** A failure on a plain HTTP route (uploads, downloads): the same structured error a tool returns. */
export function domainErrorResponse(error: unknown, correlationId: string): Response {
  const body = toToolError(error, correlationId);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (body.retryAfterSeconds !== undefined) headers['retry-after'] = String(body.retryAfterSeconds);
  return new Response(JSON.stringify({ error: body }), { status: STATUS[body.category], headers });
}
