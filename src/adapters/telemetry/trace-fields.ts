import { isSpanContextValid, trace } from '@opentelemetry/api';

export interface TraceFields {
  trace_id?: string;
  span_id?: string;
  /** Datadog log↔trace correlation wants the low 64 bits of the ids in decimal. */
  dd?: { trace_id: string; span_id: string };
}

/** Ids of the active span, for log lines. Empty when no valid span is active (telemetry off). */
export function activeTraceFields(): TraceFields {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (spanContext === undefined || !isSpanContextValid(spanContext)) return {};
  const { traceId, spanId } = spanContext;
  return {
    trace_id: traceId,
    span_id: spanId,
    dd: { trace_id: BigInt(`0x${traceId.slice(16)}`).toString(), span_id: BigInt(`0x${spanId}`).toString() },
  };
}
