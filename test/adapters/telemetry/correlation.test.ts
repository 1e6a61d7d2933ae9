import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import {
  correlationMiddleware,
  currentRequestContext,
  resolveCorrelationId,
  traceIdFromTraceparent,
} from '../../../src/adapters/telemetry/correlation.js';
import { tracingMiddleware } from '../../../src/adapters/telemetry/hono-tracing-middleware.js';
import { makeTelemetryHarness } from './telemetry-harness.js';
import type { TelemetryHarness } from './telemetry-harness.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACEPARENT = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

describe('resolveCorrelationId', () => {
  const generate = (): string => 'generated-id';

  it('keeps a well-formed X-Correlation-Id', () => {
    expect(resolveCorrelationId({ correlationId: 'abc-123_XYZ:9.z', traceparent: TRACEPARENT }, generate)).toBe('abc-123_XYZ:9.z');
  });

  it.each([
    ['too short', 'abc'],
    ['too long', 'a'.repeat(129)],
    ['bad characters', 'abc<script>123'],
    ['a newline for log injection', 'abcdefgh\n{"level":"error"}'],
  ])('ignores a correlation id that is %s and falls back to the traceparent', (_label, value) => {
    expect(resolveCorrelationId({ correlationId: value, traceparent: TRACEPARENT }, generate)).toBe(TRACE_ID);
  });

  it('generates one when neither header is usable', () => {
    expect(resolveCorrelationId({ correlationId: null, traceparent: `00-${'0'.repeat(32)}-00f067aa0ba902b7-01` }, generate)).toBe(
      'generated-id',
    );
    expect(resolveCorrelationId({})).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reads the trace id only from valid traceparents', () => {
    expect(traceIdFromTraceparent(TRACEPARENT)).toBe(TRACE_ID);
    expect(traceIdFromTraceparent(`ff-${TRACE_ID}-00f067aa0ba902b7-01`)).toBeUndefined();
    expect(traceIdFromTraceparent('garbage')).toBeUndefined();
    expect(traceIdFromTraceparent(undefined)).toBeUndefined();
  });
});

describe('correlationMiddleware', () => {
  function makeApp(): Hono<{ Variables: { correlationId: string } }> {
    const app = new Hono<{ Variables: { correlationId: string } }>();
    app.use(correlationMiddleware({ generate: () => 'generated-0001' }));
    app.get('/ctx', (c) => c.json({ fromVariable: c.get('correlationId'), fromStorage: currentRequestContext()?.correlationId }));
    app.get('/boom', () => {
      throw new Error('bug');
    });
    app.get('/moved', () => Response.redirect('https://example.com/elsewhere', 302));
    app.onError((_err, c) => c.json({ error: 'internal' }, 500));
    return app;
  }

  it('puts the id in the request context and echoes it in the response', async () => {
    const res = await makeApp().request('/ctx', { headers: { 'X-Correlation-Id': 'client-chosen-42' } });
    expect(res.headers.get('X-Correlation-Id')).toBe('client-chosen-42');
    expect(await res.json()).toEqual({ fromVariable: 'client-chosen-42', fromStorage: 'client-chosen-42' });
  });

  it('uses the traceparent trace id, else a generated id', async () => {
    const app = makeApp();
    expect((await app.request('/ctx', { headers: { traceparent: TRACEPARENT } })).headers.get('X-Correlation-Id')).toBe(TRACE_ID);
    expect((await app.request('/ctx')).headers.get('X-Correlation-Id')).toBe('generated-0001');
  });

  it('returns the id on error responses too', async () => {
    const res = await makeApp().request('/boom', { headers: { 'X-Correlation-Id': 'failing-call-1' } });
    expect(res.status).toBe(500);
    expect(res.headers.get('X-Correlation-Id')).toBe('failing-call-1');
  });

  it('returns the id on responses whose headers are immutable', async () => {
    const res = await makeApp().request('/moved', { headers: { 'X-Correlation-Id': 'redirected-call-1' } });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('https://example.com/elsewhere');
    expect(res.headers.get('X-Correlation-Id')).toBe('redirected-call-1');
  });

  it('does not leak the context outside the request', async () => {
    await makeApp().request('/ctx');
    expect(currentRequestContext()).toBeUndefined();
  });
});

describe('tracingMiddleware', () => {
  let harness: TelemetryHarness | undefined;
  afterEach(async () => {
    await harness?.handle.shutdown();
    harness = undefined;
  });

  it('continues the caller trace in a SERVER span tagged with the correlation id, path only', async () => {
    harness = await makeTelemetryHarness();
    const app = new Hono();
    app.use(tracingMiddleware(), correlationMiddleware());
    app.get('/oauth/callback', (c) => c.text('ok'));
    const res = await app.request('/oauth/callback?code=SECRET-CODE', { headers: { traceparent: TRACEPARENT } });
    expect(res.status).toBe(200);
    const [span] = harness.spans.getFinishedSpans();
    expect(span?.spanContext().traceId).toBe(TRACE_ID);
    expect(span?.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(span?.name).toBe('GET /oauth/callback');
    expect(span?.attributes).toMatchObject({
      'url.path': '/oauth/callback',
      'http.response.status_code': 200,
      'm365_gateway.correlation_id': TRACE_ID,
    });
    expect(JSON.stringify(span?.attributes)).not.toContain('SECRET-CODE');
  });
});
