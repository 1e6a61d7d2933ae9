import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { AggregationTemporalityPreference } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import type { MetricReader } from '@opentelemetry/sdk-metrics';
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import type { SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';

/** What `src/app/config.ts` hands over (env names in docs/observability.md). */
export interface TelemetrySdkConfig {
  /** !OTEL_SDK_DISABLED: export traces and metrics over OTLP/HTTP (protobuf). Off by default in sandbox mode. */
  enabled: boolean;
  serviceName: string;
  serviceVersion: string;
  environment: string;
  /** OTEL_RESOURCE_ATTRIBUTES, parsed; added to the resource. */
  resourceAttributes?: Record<string, string>;
  /** OTEL_EXPORTER_OTLP_ENDPOINT: the Datadog Agent's OTLP/HTTP receiver, e.g. http://localhost:4318. */
  otlpEndpoint: string;
  /** OTEL_EXPORTER_OTLP_HEADERS parsed into a record (rarely needed with a local Agent). */
  otlpHeaders?: Record<string, string>;
  /** OTEL_TRACES_SAMPLER_RATIO: head sampling for new traces; callers' sampling decisions are kept. */
  tracesSamplerRatio: number;
  /** OTEL_METRIC_EXPORT_INTERVAL_MS. */
  metricExportIntervalMs: number;
  /** METRICS_PROMETHEUS_ENABLED: serve Prometheus text from `metricsHandler` (GET /metrics). */
  prometheusEnabled: boolean;
}

/** Test seams: in-memory exporters/readers instead of the network. */
export interface TelemetrySdkOverrides {
  spanExporter?: SpanExporter;
  metricReaders?: MetricReader[];
}

export interface TelemetryHandle {
  /** Flushes pending spans and metrics, then unregisters the global providers. */
  shutdown(): Promise<void>;
  /** Serves the Prometheus exposition format; present only when Prometheus is enabled. */
  metricsHandler?: (request: Request) => Promise<Response>;
}

/**
 * Starts the OpenTelemetry SDK and registers the global tracer/meter providers, context manager
 * and W3C propagators. Call it before building the container: metric instruments bind to the
 * meter provider that is global when `Telemetry` is constructed.
 */
export async function startTelemetry(
  config: TelemetrySdkConfig,
  overrides: TelemetrySdkOverrides = {},
): Promise<TelemetryHandle> {
  const tracesOn = config.enabled || overrides.spanExporter !== undefined;
  const readers: MetricReader[] = [...(overrides.metricReaders ?? [])];
  if (config.enabled) readers.push(otlpMetricReader(config));
  const prometheus = config.prometheusEnabled ? new PrometheusExporter({ preventServerStart: true }) : undefined;
  if (prometheus !== undefined) readers.push(prometheus);
  if (!tracesOn && readers.length === 0) return { shutdown: async () => {} };

  const resource = resourceFromAttributes({
    ...config.resourceAttributes,
    [ATTR_SERVICE_NAME]: config.serviceName,
    [ATTR_SERVICE_VERSION]: config.serviceVersion,
    // Both spellings: Datadog maps either to `env`, older Agents know only the first.
    'deployment.environment': config.environment,
    'deployment.environment.name': config.environment,
  });

  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(
    new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
  );

  let tracerProvider: TracerProvider | undefined;
  if (tracesOn) {
    tracerProvider = new TracerProvider({
      resource,
      sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.tracesSamplerRatio) }),
      spanProcessors: [spanProcessor(config, overrides)],
    });
    trace.setGlobalTracerProvider(tracerProvider);
  }

  let meterProvider: MeterProvider | undefined;
  if (readers.length > 0) {
    meterProvider = new MeterProvider({ resource, readers });
    metrics.setGlobalMeterProvider(meterProvider);
  }

  const handle: TelemetryHandle = {
    shutdown: async () => {
      await Promise.allSettled([tracerProvider?.shutdown(), meterProvider?.shutdown()]);
      trace.disable();
      metrics.disable();
      propagation.disable();
      context.disable();
    },
  };
  if (prometheus !== undefined) handle.metricsHandler = prometheusHandler(prometheus);
  return handle;
}

function otlpMetricReader(config: TelemetrySdkConfig): MetricReader {
  return new PeriodicExportingMetricReader({
    exporter: new OTLPMetricExporter({
      url: `${trimSlash(config.otlpEndpoint)}/v1/metrics`,
      headers: config.otlpHeaders ?? {},
      // Datadog recommends delta temporality for OTLP counters and histograms.
      temporalityPreference: AggregationTemporalityPreference.DELTA,
    }),
    exportIntervalMillis: config.metricExportIntervalMs,
  });
}

function spanProcessor(config: TelemetrySdkConfig, overrides: TelemetrySdkOverrides): SpanProcessor {
  if (overrides.spanExporter !== undefined) return new SimpleSpanProcessor({ exporter: overrides.spanExporter });
  const exporter = new OTLPTraceExporter({
    url: `${trimSlash(config.otlpEndpoint)}/v1/traces`,
    headers: config.otlpHeaders ?? {},
  });
  return new BatchSpanProcessor({ exporter });
}

/** A fetch-style handler so Hono can serve `GET /metrics` without the exporter's own HTTP server. */
function prometheusHandler(exporter: PrometheusExporter): (request: Request) => Promise<Response> {
  const serializer = new PrometheusSerializer();
  return async () => {
    const { resourceMetrics, errors } = await exporter.collect();
    if (errors.length > 0) return new Response('metrics collection failed\n', { status: 500 });
    return new Response(serializer.serialize(resourceMetrics), {
      headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' },
    });
  };
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
