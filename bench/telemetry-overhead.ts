import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runGatewayOverheadBench, type OverheadResult } from './gateway-overhead.js';
import { fmt } from './support.js';

/**
 * Cost of telemetry: the gateway-overhead case with tracing and metrics off, then on (100%
 * sampling, OTLP/HTTP to a local sink standing in for the Datadog Agent). Target: under 10% added
 * median latency per MCP call.
 */
export async function runTelemetryOverheadBench(): Promise<void> {
  let requests = 0;
  let bytes = 0;
  const sink = createServer((req, res) => {
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => {
      requests += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;
  try {
    // ABBA order cancels drift on a shared, noisy machine (warm-up, neighbours' load).
    const offEnv = { OTEL_SDK_DISABLED: 'true' };
    const onEnv = { OTEL_SDK_DISABLED: 'false', OTEL_TRACES_SAMPLER_RATIO: '1', OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_METRIC_EXPORT_INTERVAL_MS: '1000' };
    const off: OverheadResult[][] = [];
    const on: OverheadResult[][] = [];
    for (const round of [1, 2]) {
      const first = round === 1 ? 'off' : 'on';
      for (const which of first === 'off' ? ['off', 'on'] : ['on', 'off']) {
        if (which === 'off') off.push(await runGatewayOverheadBench(offEnv, `telemetry off (round ${round})`));
        else on.push(await runGatewayOverheadBench(onEnv, `telemetry on, 100% sampling, OTLP to a local sink (round ${round})`));
      }
    }
    console.log('\n## telemetry overhead: via-MCP median latency per call, on / off, mean of ABBA rounds (target < 1.10)');
    for (const callers of [1, 32]) {
      const p50 = (runs: OverheadResult[][]): number => mean(runs.map((r) => r.find((x) => x.callers === callers)?.viaMcp.p50 ?? NaN));
      const rps = (runs: OverheadResult[][]): number => mean(runs.map((r) => r.find((x) => x.callers === callers)?.viaMcp.callsPerSecond ?? NaN));
      console.log(
        `callers ${String(callers).padStart(2)}: off ${fmt(p50(off))} ms, on ${fmt(p50(on))} ms, ratio ${fmt(p50(on) / p50(off))}; throughput ratio ${fmt(rps(on) / rps(off))}`,
      );
    }
    console.log(`OTLP sink received ${requests} exports, ${fmt(bytes / 1024, 0)} KiB`);
  } finally {
    sink.close();
  }
}

function mean(values: number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}
