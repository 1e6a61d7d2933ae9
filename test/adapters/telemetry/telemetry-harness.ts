import { MetricReader } from '@opentelemetry/sdk-metrics';
import type { DataPoint, MetricData } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { Redactor } from '../../../src/adapters/telemetry/redaction.js';
import { Telemetry } from '../../../src/adapters/telemetry/telemetry.js';
import { startTelemetry } from '../../../src/app/telemetry-sdk.js';
import type { TelemetryHandle, TelemetrySdkConfig } from '../../../src/app/telemetry-sdk.js';

/** A reader that collects only when asked, so a test sees exactly what was recorded. */
export class CollectingReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

export interface TelemetryHarness {
  spans: InMemorySpanExporter;
  telemetry: Telemetry;
  redactor: Redactor;
  handle: TelemetryHandle;
  /** Collected metrics by instrument name. */
  collect(): Promise<Map<string, MetricData>>;
}

export const TEST_SDK_CONFIG: TelemetrySdkConfig = {
  enabled: false,
  serviceName: 'm365-mcp-gateway',
  serviceVersion: '0.0.0-test',
  environment: 'test',
  otlpEndpoint: 'http://127.0.0.1:1',
  tracesSamplerRatio: 1,
  metricExportIntervalMs: 60_000,
  prometheusEnabled: false,
};

/** The real SDK wired to in-memory exporters; call `handle.shutdown()` in afterEach. */
export async function makeTelemetryHarness(config: Partial<TelemetrySdkConfig> = {}): Promise<TelemetryHarness> {
  const spans = new InMemorySpanExporter();
  const reader = new CollectingReader();
  const handle = await startTelemetry({ ...TEST_SDK_CONFIG, ...config }, { spanExporter: spans, metricReaders: [reader] });
  const redactor = new Redactor({ hashSalt: 'test-salt' });
  const telemetry = new Telemetry({
    tenantLabel: (t) => redactor.tenantLabel(t),
    scrubMessage: (m) => redactor.scrubString(m),
  });
  return {
    spans,
    telemetry,
    redactor,
    handle,
    collect: async () => {
      const { resourceMetrics } = await reader.collect();
      const byName = new Map<string, MetricData>();
      for (const scope of resourceMetrics.scopeMetrics) for (const metric of scope.metrics) byName.set(metric.descriptor.name, metric);
      return byName;
    },
  };
}

/** The data points of one metric, attributes and value, for compact assertions. */
export function points(metric: MetricData | undefined): Array<{ attributes: Record<string, unknown>; value: unknown }> {
  if (metric === undefined) return [];
  return (metric.dataPoints as Array<DataPoint<unknown>>).map((p) => ({ attributes: { ...p.attributes }, value: p.value }));
}
