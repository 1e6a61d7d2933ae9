/**
 * Graph's error wire format. Routes throw GraphError; the app's onError renders it with the request's ids,
 * exactly as `{error:{code,message,innerError:{date,request-id,client-request-id}}}`.
 */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'GraphError';
  }
}

export interface GraphErrorBody {
  error: {
    code: string;
    message: string;
    innerError: { date: string; 'request-id': string; 'client-request-id': string };
  };
}

export function graphErrorBody(
  code: string,
  message: string,
  requestId: string,
  clientRequestId: string | undefined,
  now: Date,
): GraphErrorBody {
  return {
    error: {
      code,
      message,
      innerError: {
        date: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        'request-id': requestId,
        'client-request-id': clientRequestId ?? requestId,
      },
    },
  };
}

/** Exchange-backed (mail, calendar) and OneDrive-backed endpoints spell the same failures differently. */
export type ErrorFlavor = 'exchange' | 'drive' | 'graph';

export function notFound(
  flavor: ErrorFlavor,
  what = 'The specified object was not found in the store.',
): GraphError {
  return new GraphError(404, flavor === 'drive' ? 'itemNotFound' : 'ErrorItemNotFound', what);
}

export function accessDenied(flavor: ErrorFlavor): GraphError {
  if (flavor === 'drive') return new GraphError(403, 'accessDenied', 'Access denied');
  if (flavor === 'exchange')
    return new GraphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
  return new GraphError(403, 'Forbidden', 'Access is denied. Check credentials and try again.');
}

export function badRequest(code: string, message: string): GraphError {
  return new GraphError(400, code, message);
}
