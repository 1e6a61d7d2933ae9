import { SpanStatusCode } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { METRIC_NAMES } from '../../../src/adapters/telemetry/telemetry.js';
import { DomainError } from '../../../src/domain/errors.js';
import { makeTelemetryHarness, points } from './telemetry-harness.js';
import type { TelemetryHarness } from './telemetry-harness.js';

const TENANT = '6e1c1d3c-1b6d-4bbf-9a1f-2a3b4c5d6e7f';

describe('Telemetry instruments', () => {
  let h: TelemetryHarness;
  beforeEach(async () => {
    h = await makeTelemetryHarness();
  });
  afterEach(async () => {
    await h.handle.shutdown();
  });

  it('counts tool calls and errors and records latency by tool and family', async () => {
    h.telemetry.recordToolCall({ tool: 'mail_list', family: 'mail', outcome: 'success', durationMs: 40 });
    h.telemetry.recordToolCall({ tool: 'mail_list', family: 'mail', outcome: 'error', durationMs: 900, errorCategory: 'throttled' });
    const m = await h.collect();
    expect(points(m.get(METRIC_NAMES.toolCalls))).toEqual(
      expect.arrayContaining([
        { attributes: { tool: 'mail_list', family: 'mail', outcome: 'success' }, value: 1 },
        { attributes: { tool: 'mail_list', family: 'mail', outcome: 'error' }, value: 1 },
      ]),
    );
    expect(points(m.get(METRIC_NAMES.toolErrors))).toEqual([
      { attributes: { tool: 'mail_list', family: 'mail', category: 'throttled' }, value: 1 },
    ]);
    const [latency] = points(m.get(METRIC_NAMES.toolDuration));
    expect(latency?.attributes).toEqual({ tool: 'mail_list', family: 'mail' });
    expect(latency?.value).toMatchObject({ count: 2, sum: 940 });
    expect(m.get(METRIC_NAMES.toolDuration)?.descriptor.unit).toBe('ms');
  });

  it('records retries and throttles as metrics and as events on the active span', async () => {
    await h.telemetry.withSpan('graph.request', { family: 'files' }, async () => {
      h.telemetry.recordThrottle({ family: 'files', tenantId: TENANT, retryAfterSeconds: 2 });
      h.telemetry.recordGraphRetry({ family: 'files', attempt: 1, status: 429, delayMs: 2000 });
      h.telemetry.recordBackoff({ family: 'files', durationMs: 2000 });
    });
    const m = await h.collect();
    expect(points(m.get(METRIC_NAMES.graphRetries))).toEqual([{ attributes: { family: 'files' }, value: 1 }]);
    expect(points(m.get(METRIC_NAMES.graphThrottled))).toEqual([
      { attributes: { family: 'files', tenant: h.redactor.tenantLabel(TENANT) }, value: 1 },
    ]);
    expect(points(m.get(METRIC_NAMES.graphBackoffDuration))[0]?.value).toMatchObject({ count: 1, sum: 2000 });
    const [span] = h.spans.getFinishedSpans();
    expect(span?.events.map((e) => [e.name, e.attributes])).toEqual([
      ['graph.throttled', { retry_after_s: 2 }],
      ['graph.retry', { attempt: 1, 'http.response.status_code': 429, delay_ms: 2000 }],
    ]);
  });

  it('counts breaker transitions and reports whether each breaker is open', async () => {
    h.telemetry.recordBreakerState({ family: 'search', state: 'open' });
    h.telemetry.recordBreakerState({ family: 'mail', state: 'open' });
    h.telemetry.recordBreakerState({ family: 'search', state: 'half_open' });
    const m = await h.collect();
    expect(points(m.get(METRIC_NAMES.breakerStateChanges))).toEqual(
      expect.arrayContaining([
        { attributes: { family: 'search', state: 'open' }, value: 1 },
        { attributes: { family: 'search', state: 'half_open' }, value: 1 },
      ]),
    );
    expect(points(m.get(METRIC_NAMES.breakerOpen))).toEqual([
      { attributes: { family: 'search' }, value: 0 },
      { attributes: { family: 'mail' }, value: 1 },
    ]);
  });

  it('counts token refreshes and failures by hashed tenant, rate-limit rejections by scope', async () => {
    h.telemetry.recordTokenRefresh({ tenantId: TENANT, outcome: 'success' });
    h.telemetry.recordTokenRefresh({ tenantId: TENANT, outcome: 'failure', reason: 'invalid_grant' });
    h.telemetry.recordRateLimitRejection({ scope: 'user', tenantId: TENANT });
    h.telemetry.recordRateLimitRejection({ scope: 'global' });
    const m = await h.collect();
    const tenant = h.redactor.tenantLabel(TENANT);
    expect(points(m.get(METRIC_NAMES.tokenRefreshes))).toEqual([{ attributes: { tenant }, value: 2 }]);
    expect(points(m.get(METRIC_NAMES.tokenRefreshFailures))).toEqual([{ attributes: { tenant, reason: 'invalid_grant' }, value: 1 }]);
    expect(points(m.get(METRIC_NAMES.rateLimitRejections))).toEqual([
      { attributes: { scope: 'user', tenant }, value: 1 },
      { attributes: { scope: 'global' }, value: 1 },
    ]);
    expect(JSON.stringify([...m.values()])).not.toContain(TENANT);
  });

  it('records store latency and errors per store, operation and table', async () => {
    h.telemetry.recordStoreOp('redis', 'get', 2);
    h.telemetry.recordStoreOp('dynamodb', 'PutItem', 30, 'ProvisionedThroughputExceededException', 'tokens');
    const m = await h.collect();
    expect(points(m.get(METRIC_NAMES.redisDuration))[0]?.attributes).toEqual({ operation: 'get' });
    expect(points(m.get(METRIC_NAMES.redisErrors))).toEqual([]);
    expect(points(m.get(METRIC_NAMES.dynamodbErrors))).toEqual([
      { attributes: { operation: 'PutItem', table: 'tokens', error: 'ProvisionedThroughputExceededException' }, value: 1 },
    ]);
  });

  it('observes registered bulkheads at collection time', async () => {
    let inFlight = 3;
    const unregister = h.telemetry.registerBulkhead('mail', () => inFlight);
    expect(points((await h.collect()).get(METRIC_NAMES.bulkheadInFlight))).toEqual([{ attributes: { family: 'mail' }, value: 3 }]);
    inFlight = 5;
    expect(points((await h.collect()).get(METRIC_NAMES.bulkheadInFlight))).toEqual([{ attributes: { family: 'mail' }, value: 5 }]);
    unregister();
    inFlight = 9;
    // The SDK may repeat the last cumulative point, but the callback no longer reads the bulkhead.
    const after = points((await h.collect()).get(METRIC_NAMES.bulkheadInFlight));
    expect(after.map((p) => p.value)).not.toContain(9);
  });

  it('withSpan nests spans and records a failure without its text', async () => {
    const failure = new DomainError('not_found', 'graph.itemNotFound', 'No file named Payroll.xlsx for bob@contoso.com');
    await expect(
      h.telemetry.withSpan('tool.call', { tool: 'files_get' }, () => h.telemetry.withSpan('graph.request', {}, () => Promise.reject(failure))),
    ).rejects.toBe(failure);
    const spans = h.spans.getFinishedSpans();
    const inner = spans.find((s) => s.name === 'graph.request');
    const outer = spans.find((s) => s.name === 'tool.call');
    expect(inner?.parentSpanContext?.spanId).toBe(outer?.spanContext().spanId);
    expect(inner?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'not_found' });
    expect(inner?.attributes).toMatchObject({ 'error.category': 'not_found', 'error.code': 'graph.itemNotFound' });
    expect(JSON.stringify(inner?.events)).not.toContain('bob@contoso.com');
  });
});
