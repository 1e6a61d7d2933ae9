import { metrics, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type {
  Attributes,
  Counter,
  Histogram,
  Meter,
  MeterProvider,
  ObservableGauge,
  ObservableResult,
  Span,
  Tracer,
  TracerProvider,
} from '@opentelemetry/api';

/**
 * Every instrument the gateway emits, under the exact names the dashboards, monitors and runbooks
 * query (ops/datadog/, docs/observability.md). Prometheus renders the dots as underscores and adds
 * `_total` / unit suffixes; Datadog's OTLP intake keeps the dots.
 */
export const METRIC_NAMES = {
  toolCalls: 'm365_gateway.tool.calls',
  toolDuration: 'm365_gateway.tool.duration',
  toolErrors: 'm365_gateway.tool.errors',
  graphRetries: 'm365_gateway.graph.retries',
  graphBackoffDuration: 'm365_gateway.graph.backoff.duration',
  graphThrottled: 'm365_gateway.graph.throttled',
  breakerStateChanges: 'm365_gateway.breaker.state_changes',
  breakerOpen: 'm365_gateway.breaker.open',
  tokenRefreshes: 'm365_gateway.token.refreshes',
  tokenRefreshFailures: 'm365_gateway.token.refresh_failures',
  rateLimitRejections: 'm365_gateway.ratelimit.rejections',
  redisDuration: 'm365_gateway.redis.duration',
  redisErrors: 'm365_gateway.redis.errors',
  dynamodbDuration: 'm365_gateway.dynamodb.duration',
  dynamodbErrors: 'm365_gateway.dynamodb.errors',
  bulkheadInFlight: 'm365_gateway.bulkhead.in_flight',
} as const;

export type MetricName = (typeof METRIC_NAMES)[keyof typeof METRIC_NAMES];

export const INSTRUMENTATION_SCOPE = 'm365-mcp-gateway';

/** Latency buckets in ms: Graph calls sit between tens of ms and tens of seconds. */
const MS_BUCKETS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000];

export type ToolOutcome = 'success' | 'error';
export type BreakerState = 'open' | 'half_open' | 'closed';
export type StoreKind = 'redis' | 'dynamodb';

export interface ToolCallMeasurement {
  tool: string;
  family: string;
  outcome: ToolOutcome;
  durationMs: number;
  /** The DomainError category when outcome is error. */
  errorCategory?: string;
}

export interface TelemetryOptions {
  /** Read at construction: metrics have no proxy provider, so build Telemetry after the SDK starts. */
  meterProvider?: MeterProvider;
  tracerProvider?: TracerProvider;
  /** Maps a tenant id to its metric attribute (hashed or clear, same as the logs). */
  tenantLabel: (tenantId: string) => string;
  /** Scrubs exception messages before they land on spans. */
  scrubMessage: (message: string) => string;
}

/**
 * Metrics and tracing helpers for adapters and the edge (tool pipeline, Graph client policy hook,
 * store adapters). The domain never calls this; it stays behind ports.
 */
export class Telemetry {
  readonly tracer: Tracer;
  private readonly meter: Meter;
  private readonly toolCalls: Counter;
  private readonly toolDuration: Histogram;
  private readonly toolErrors: Counter;
  private readonly graphRetries: Counter;
  private readonly graphBackoff: Histogram;
  private readonly graphThrottled: Counter;
  private readonly breakerStateChanges: Counter;
  private readonly breakerOpen: ObservableGauge;
  private readonly breakerStates = new Map<string, BreakerState>();
  private readonly tokenRefreshes: Counter;
  private readonly tokenRefreshFailures: Counter;
  private readonly rateLimitRejections: Counter;
  private readonly storeDuration: Record<StoreKind, Histogram>;
  private readonly storeErrors: Record<StoreKind, Counter>;
  private readonly bulkheadGauge: ObservableGauge;
  private readonly bulkheads = new Map<string, () => number>();

  constructor(private readonly options: TelemetryOptions) {
    this.meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(INSTRUMENTATION_SCOPE);
    this.tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(INSTRUMENTATION_SCOPE);
    const m = this.meter;
    const ms = (name: string, description: string): Histogram =>
      m.createHistogram(name, { unit: 'ms', description, advice: { explicitBucketBoundaries: MS_BUCKETS } });

    this.toolCalls = m.createCounter(METRIC_NAMES.toolCalls, { description: 'Tool calls by tool, family and outcome' });
    this.toolDuration = ms(METRIC_NAMES.toolDuration, 'Tool call latency, end to end inside the gateway');
    this.toolErrors = m.createCounter(METRIC_NAMES.toolErrors, { description: 'Failed tool calls by error category' });
    this.graphRetries = m.createCounter(METRIC_NAMES.graphRetries, { description: 'Graph request retries' });
    this.graphBackoff = ms(METRIC_NAMES.graphBackoffDuration, 'Time spent waiting before a Graph retry');
    this.graphThrottled = m.createCounter(METRIC_NAMES.graphThrottled, { description: 'Graph 429/503 throttling responses' });
    this.breakerStateChanges = m.createCounter(METRIC_NAMES.breakerStateChanges, {
      description: 'Circuit breaker transitions by family and new state',
    });
    this.breakerOpen = m.createObservableGauge(METRIC_NAMES.breakerOpen, {
      description: 'Whether the family breaker is open (1) or not (0); transitions are in state_changes',
    });
    this.breakerOpen.addCallback((result: ObservableResult) => {
      for (const [family, state] of this.breakerStates) result.observe(state === 'open' ? 1 : 0, { family });
    });
    this.tokenRefreshes = m.createCounter(METRIC_NAMES.tokenRefreshes, { description: 'Graph token refresh attempts' });
    this.tokenRefreshFailures = m.createCounter(METRIC_NAMES.tokenRefreshFailures, {
      description: 'Failed Graph token refreshes by reason',
    });
    this.rateLimitRejections = m.createCounter(METRIC_NAMES.rateLimitRejections, {
      description: 'Requests rejected by our own rate limiter',
    });
    this.storeDuration = {
      redis: ms(METRIC_NAMES.redisDuration, 'Redis command latency'),
      dynamodb: ms(METRIC_NAMES.dynamodbDuration, 'DynamoDB operation latency'),
    };
    this.storeErrors = {
      redis: m.createCounter(METRIC_NAMES.redisErrors, { description: 'Failed Redis commands' }),
      dynamodb: m.createCounter(METRIC_NAMES.dynamodbErrors, { description: 'Failed DynamoDB operations' }),
    };
    this.bulkheadGauge = m.createObservableGauge(METRIC_NAMES.bulkheadInFlight, {
      description: 'Calls executing in each bulkhead',
    });
    this.bulkheadGauge.addCallback((result: ObservableResult) => {
      for (const [family, read] of this.bulkheads) result.observe(read(), { family });
    });
  }

  recordToolCall(m: ToolCallMeasurement): void {
    this.toolCalls.add(1, { tool: m.tool, family: m.family, outcome: m.outcome });
    this.toolDuration.record(m.durationMs, { tool: m.tool, family: m.family });
    if (m.outcome === 'error') {
      this.toolErrors.add(1, { tool: m.tool, family: m.family, category: m.errorCategory ?? 'internal' });
    }
  }

  /** One retry of a Graph request; also an event on the active (Graph call) span. */
  recordGraphRetry(r: { family: string; attempt: number; status?: number; delayMs?: number }): void {
    this.graphRetries.add(1, { family: r.family });
    const event: Attributes = { attempt: r.attempt };
    if (r.status !== undefined) event['http.response.status_code'] = r.status;
    if (r.delayMs !== undefined) event['delay_ms'] = r.delayMs;
    trace.getActiveSpan()?.addEvent('graph.retry', event);
  }

  recordBackoff(b: { family: string; durationMs: number }): void {
    this.graphBackoff.record(b.durationMs, { family: b.family });
  }

  recordThrottle(t: { family: string; tenantId: string; retryAfterSeconds?: number }): void {
    this.graphThrottled.add(1, { family: t.family, tenant: this.options.tenantLabel(t.tenantId) });
    const event: Attributes = {};
    if (t.retryAfterSeconds !== undefined) event['retry_after_s'] = t.retryAfterSeconds;
    trace.getActiveSpan()?.addEvent('graph.throttled', event);
  }

  recordBreakerState(b: { family: string; state: BreakerState }): void {
    this.breakerStateChanges.add(1, { family: b.family, state: b.state });
    this.breakerStates.set(b.family, b.state);
    trace.getActiveSpan()?.addEvent('breaker.state_change', { family: b.family, state: b.state });
  }

  recordTokenRefresh(r: { tenantId: string; outcome: 'success' | 'failure'; reason?: string }): void {
    const tenant = this.options.tenantLabel(r.tenantId);
    this.tokenRefreshes.add(1, { tenant });
    if (r.outcome === 'failure') this.tokenRefreshFailures.add(1, { tenant, reason: r.reason ?? 'unknown' });
  }

  /** `scope` is which limit said no: `tenant`, `user`, `global`; the tenant when the caller has one. */
  recordRateLimitRejection(r: { scope: string; tenantId?: string }): void {
    const attributes: Attributes = { scope: r.scope };
    if (r.tenantId !== undefined) attributes.tenant = this.options.tenantLabel(r.tenantId);
    this.rateLimitRejections.add(1, attributes);
  }

  /**
   * One Redis command or DynamoDB operation. `error` is the failure's name when it failed (e.g.
   * `ProvisionedThroughputExceededException`); `table` names the DynamoDB table (hot-partition hunting).
   */
  recordStoreOp(store: StoreKind, operation: string, durationMs: number, error?: string, table?: string): void {
    const attributes: Attributes = table === undefined ? { operation } : { operation, table };
    this.storeDuration[store].record(durationMs, attributes);
    if (error !== undefined) this.storeErrors[store].add(1, { ...attributes, error });
  }

  /** Registers a bulkhead's in-flight count, read at each metric collection. Returns an unregister function. */
  registerBulkhead(family: string, inFlight: () => number): () => void {
    this.bulkheads.set(family, inFlight);
    return () => this.bulkheads.delete(family);
  }

  /**
   * Runs `fn` inside an active span. Failures set ERROR status and an `exception` event with a
   * scrubbed message; a DomainError's category and code become span attributes.
   */
  async withSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>, kind = SpanKind.INTERNAL): Promise<T> {
    return this.tracer.startActiveSpan(name, { attributes, kind }, async (span) => {
      try {
        return await fn(span);
      } catch (error) {
        this.recordFailure(span, error);
        throw error;
      } finally {
        span.end();
      }
    });
  }

  /** Marks a span failed without leaking the error's text. */
  recordFailure(span: Span, error: unknown): void {
    const err = error instanceof Error ? error : new Error(String(error));
    const fields = err as Error & { category?: unknown; code?: unknown };
    if (typeof fields.category === 'string') span.setAttribute('error.category', fields.category);
    if (typeof fields.code === 'string') span.setAttribute('error.code', fields.code);
    span.setAttribute('error.type', err.name);
    span.addEvent('exception', {
      'exception.type': err.name,
      'exception.message': this.options.scrubMessage(err.message),
    });
    span.setStatus({ code: SpanStatusCode.ERROR, message: typeof fields.category === 'string' ? fields.category : err.name });
  }
}
