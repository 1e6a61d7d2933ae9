import { DomainError } from '../../domain/errors.js';
import type { ErrorCategory } from '../../domain/errors.js';

/** What we keep of a failed Graph response. The body is read but never echoed to the client. */
export interface GraphFailure {
  status: number;
  headers: Headers;
  bodyText: string;
  /** Epoch ms, to turn an HTTP-date Retry-After into seconds. */
  nowMs: number;
}

interface GraphErrorBody {
  error?: { code?: unknown; message?: unknown; innerError?: Record<string, unknown>; innererror?: Record<string, unknown> };
}

const DEFAULT_CODES: Readonly<Record<number, string>> = {
  400: 'badRequest',
  401: 'unauthenticated',
  403: 'accessDenied',
  404: 'itemNotFound',
  405: 'methodNotAllowed',
  409: 'conflict',
  410: 'resourceGone',
  412: 'preconditionFailed',
  413: 'requestTooLarge',
  416: 'rangeNotSatisfiable',
  429: 'tooManyRequests',
  500: 'internalServerError',
  502: 'badGateway',
  503: 'serviceUnavailable',
  504: 'gatewayTimeout',
};

/** Seconds to wait from a Retry-After header: delta-seconds or an HTTP-date. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - nowMs) / 1000));
}

function categoryOf(status: number): ErrorCategory {
  if (status === 401) return 'auth_required';
  if (status === 403) return 'forbidden';
  if (status === 404 || status === 410) return 'not_found';
  if (status === 409 || status === 412) return 'conflict';
  if (status === 413) return 'payload_too_large';
  if (status === 429) return 'throttled';
  if (status === 408) return 'timeout';
  if (status >= 500) return 'unavailable';
  return 'invalid_input';
}

function messageOf(category: ErrorCategory, status: number, graphCode: string, retryAfter: number | undefined): string {
  switch (category) {
    case 'auth_required':
      return 'Microsoft Graph did not accept the user\'s sign-in. The user must sign in again.';
    case 'forbidden':
      return `The user or this app is not allowed to do this in Microsoft 365 (${graphCode}). Pick another item, or ask an administrator to grant access.`;
    case 'not_found':
      return `The item was not found or is not visible to this user (${graphCode}). Check the id or path; list again to get current ids.`;
    case 'conflict':
      return status === 412
        ? 'The item changed since it was read. Read it again and retry.'
        : `The operation conflicts with the current state (${graphCode}), for example an item with the same name exists. Choose another name or conflict behavior.`;
    case 'payload_too_large':
      return 'Microsoft Graph refused the request as too large. Send less data, or use an upload session for big files.';
    case 'throttled':
      return `Microsoft Graph is throttling requests for this user or tenant. Retry after ${retryAfter ?? 'a few'} seconds.`;
    case 'timeout':
      return 'Microsoft Graph did not answer in time. Retry in a moment.';
    case 'unavailable':
      return `Microsoft Graph is temporarily unavailable (HTTP ${status}). Retry in a moment.`;
    default:
      return `Microsoft Graph rejected the request as invalid (${graphCode}). Check the arguments and try again.`;
  }
}

function readBody(bodyText: string): GraphErrorBody {
  try {
    const parsed: unknown = JSON.parse(bodyText);
    return typeof parsed === 'object' && parsed !== null ? (parsed as GraphErrorBody) : {};
  } catch {
    return {};
  }
}

/** Turns a non-2xx Graph response into a DomainError: category by status, code from the body. */
export function mapGraphError(failure: GraphFailure): DomainError {
  const body = readBody(failure.bodyText);
  const rawCode = body.error?.code;
  // Graph codes are identifiers (itemNotFound, ErrorInvalidRecipients); anything else is not trusted.
  const graphCode =
    typeof rawCode === 'string' && /^[A-Za-z][A-Za-z0-9_.]{0,63}$/.test(rawCode) ? rawCode : (DEFAULT_CODES[failure.status] ?? `http${failure.status}`);
  const inner = body.error?.innerError ?? body.error?.innererror;
  const innerId = inner?.['request-id'];
  const requestId = failure.headers.get('request-id') ?? (typeof innerId === 'string' ? innerId : undefined);
  const category = categoryOf(failure.status);
  const retryAfter = parseRetryAfter(failure.headers.get('retry-after'), failure.nowMs);
  return new DomainError(category, `graph.${graphCode}`, messageOf(category, failure.status, graphCode, retryAfter), {
    httpStatus: failure.status,
    ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}),
    ...(requestId !== undefined && requestId.length <= 128 ? { graphRequestId: requestId } : {}),
  });
}

/** A call that never got a response: our deadline, or the network. */
export function mapTransportError(cause: unknown, timedOut: boolean): DomainError {
  if (timedOut) {
    return new DomainError('timeout', 'graph.timeout', 'Microsoft Graph did not answer in time. Retry in a moment.', { cause });
  }
  return new DomainError('unavailable', 'graph.networkError', 'Microsoft Graph could not be reached. Retry in a moment.', { cause });
}
