import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, trace, TraceFlags } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import { Telemetry } from '../../src/adapters/telemetry/telemetry.js';
import { startTelemetry } from '../../src/app/telemetry-sdk.js';
import type { TelemetryHandle } from '../../src/app/telemetry-sdk.js';
import { TEST_SDK_CONFIG } from '../adapters/telemetry/telemetry-harness.js';

function makeTelemetry(): Telemetry {
  return new Telemetry({ tenantLabel: (t) => `t_${t.length}`, scrubMessage: (m) => m });
}

/** A local OTLP/HTTP sink standing in for the Datadog Agent: records which paths got data. */
async function startOtlpSink(): Promise<{ url: string; received: Array<{ path: string; bytes: number }>; server: Server }> {
  const received: Array<{ path: string; bytes: number }> = [];
  const server = createServer((req, res) => {
    let bytes = 0;
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => {
      received.push({ path: req.url ?? '', bytes });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, received, server };
}

describe('startTelemetry', () => {
  let handle: TelemetryHandle | undefined;
  let sink: Server | undefined;
  afterEach(async () => {
    await handle?.shutdown();
    handle = undefined;
    await new Promise((resolve) => (sink ? sink.close(resolve) : resolve(undefined)));
    sink = undefined;
  });

  it('does nothing when disabled: no providers, no /metrics handler', async () => {
    handle = await startTelemetry(TEST_SDK_CONFIG);
    expect(handle.metricsHandler).toBeUndefined();
    const span = trace.getTracer('t').startSpan('x');
    expect(span.isRecording()).toBe(false);
    span.end();
  });

  it('serves Prometheus text with underscored names when enabled', async () => {
    handle = await startTelemetry({ ...TEST_SDK_CONFIG, prometheusEnabled: true });
    makeTelemetry().recordToolCall({ tool: 'calendar_list', family: 'calendar', outcome: 'success', durationMs: 12 });
    const res = await handle.metricsHandler?.(new Request('http://localhost/metrics'));
    expect(res?.status).toBe(200);
    expect(res?.headers.get('content-type')).toContain('text/plain');
    const body = (await res?.text()) ?? '';
    expect(body).toMatch(/m365_gateway_tool_calls(_total)?\{[^}]*tool="calendar_list"[^}]*\} 1/);
    expect(body).toContain('m365_gateway_tool_duration');
  });

  it('exports spans and metrics over OTLP/HTTP to the configured endpoint and flushes on shutdown', async () => {
    const otlp = await startOtlpSink();
    sink = otlp.server;
    handle = await startTelemetry({ ...TEST_SDK_CONFIG, enabled: true, otlpEndpoint: `${otlp.url}/` });
    const telemetry = makeTelemetry();
    await telemetry.withSpan('tool.call', { tool: 'mail_list' }, async () => {
      telemetry.recordToolCall({ tool: 'mail_list', family: 'mail', outcome: 'success', durationMs: 5 });
    });
    await handle.shutdown();
    handle = undefined;
    const paths = otlp.received.filter((r) => r.bytes > 0).map((r) => r.path);
    expect(paths).toContain('/v1/traces');
    expect(paths).toContain('/v1/metrics');
  });

  it('samples new traces by ratio but follows a sampled parent', async () => {
    handle = await startTelemetry({ ...TEST_SDK_CONFIG, tracesSamplerRatio: 0 }, { spanExporter: new InMemorySpanExporter() });
    const tracer = trace.getTracer('t');
    const root = tracer.startSpan('root');
    expect(root.isRecording()).toBe(false);
    root.end();
    const parent = trace.setSpanContext(context.active(), {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    });
    const child = tracer.startSpan('child', {}, parent);
    expect(child.isRecording()).toBe(true);
    child.end();
  });
});
