import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { trace } from '@opentelemetry/api';
import { parseTraceParent } from '@opentelemetry/core';
import type { MiddlewareHandler } from 'hono';

/**
 * Per-request context carried by AsyncLocalStorage so every log line written while serving a
 * request gets the correlation id, tool, family and tenant without anyone passing them along.
 * The tenant id is stored raw; the log/audit redactor hashes it (or not) per configuration.
 */
export interface RequestContext {
  correlationId: string;
  tool?: string;
  family?: string;
  tenantId?: string;
}

export const CORRELATION_HEADER = 'X-Correlation-Id';

const storage = new AsyncLocalStorage<RequestContext>();

/** Letters, digits and `._:-`, 8 to 128 characters: enough for UUIDs, ULIDs and trace ids, nothing to inject. */
const CORRELATION_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

/** Adds what becomes known later in the call (tool, family, tenant) to the current request's context. */
export function updateRequestContext(fields: Partial<Omit<RequestContext, 'correlationId'>>): void {
  const store = storage.getStore();
  if (store !== undefined) Object.assign(store, fields);
}

export interface CorrelationSources {
  correlationId?: string | null;
  traceparent?: string | null;
}

/** Incoming `X-Correlation-Id` if well-formed, else the trace id of a valid `traceparent`, else a new UUID. */
export function resolveCorrelationId(sources: CorrelationSources, generate: () => string = randomUUID): string {
  const given = sources.correlationId?.trim();
  if (given !== undefined && CORRELATION_ID.test(given)) return given;
  const traceId = traceIdFromTraceparent(sources.traceparent);
  return traceId ?? generate();
}

/** The trace id of a valid W3C `traceparent` (OTel's parser: rejects version ff and all-zero ids). */
export function traceIdFromTraceparent(header: string | null | undefined): string | undefined {
  if (header === null || header === undefined) return undefined;
  return parseTraceParent(header)?.traceId;
}

export interface CorrelationMiddlewareOptions {
  generate?: () => string;
}

/**
 * Hono middleware: resolves the correlation id, runs the rest of the request inside its context,
 * tags the active span with it and returns it in `X-Correlation-Id` (also on error responses,
 * since Hono's onError runs inside `next()`). Read it in handlers with `c.get('correlationId')`.
 */
export function correlationMiddleware(
  options: CorrelationMiddlewareOptions = {},
): MiddlewareHandler<{ Variables: { correlationId: string } }> {
  return async (c, next) => {
    const correlationId = resolveCorrelationId(
      { correlationId: c.req.header(CORRELATION_HEADER), traceparent: c.req.header('traceparent') },
      options.generate,
    );
    c.set('correlationId', correlationId);
    trace.getActiveSpan()?.setAttribute('m365_gateway.correlation_id', correlationId);
    await runWithRequestContext({ correlationId }, () => next());
    try {
      // In place: c.header() on a finished response copies it into a new one with a streamed body,
      // which costs @hono/node-server its fast path for every MCP answer.
      c.res.headers.set(CORRELATION_HEADER, correlationId);
    } catch {
      // Immutable headers (a response passed through from fetch): Hono's copy it is.
      c.header(CORRELATION_HEADER, correlationId);
    }
  };
}
