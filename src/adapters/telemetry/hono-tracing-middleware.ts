import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { TextMapGetter } from '@opentelemetry/api';
import type { MiddlewareHandler } from 'hono';

const TRACER = 'm365-mcp-gateway/http';

const headersGetter: TextMapGetter<Headers> = {
  keys: (carrier) => [...carrier.keys()],
  get: (carrier, key) => carrier.get(key) ?? undefined,
};

/**
 * Hono middleware: continues the caller's W3C trace (`traceparent`/`tracestate`) and wraps the
 * request in a SERVER span, the root of "one trace per tool call". Mount it before
 * `correlationMiddleware` so the correlation id lands on this span. Only the path is recorded,
 * never the query string (OAuth callbacks carry codes there).
 */
export function tracingMiddleware(): MiddlewareHandler {
  const tracer = trace.getTracer(TRACER);
  return async (c, next) => {
    const parent = propagation.extract(context.active(), c.req.raw.headers, headersGetter);
    const path = new URL(c.req.url).pathname;
    const span = tracer.startSpan(
      `${c.req.method} ${path}`,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': c.req.method, 'url.path': path } },
      parent,
    );
    try {
      await context.with(trace.setSpan(parent, span), () => next());
      const status = c.res.status;
      span.setAttribute('http.response.status_code', status);
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  };
}
