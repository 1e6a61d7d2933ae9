import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ToolCallObserver, ToolCallOutcome, ToolCallScope } from '../http/tool-call-pipeline.js';
import type { ToolContext, ToolDefinition } from '../http/tools/tool-definition.js';
import { updateRequestContext } from './correlation.js';
import type { Telemetry } from './telemetry.js';

/**
 * The tool call pipeline's telemetry: a span around the whole call (validation, guards, the use
 * case and its Graph calls), the request context that log lines pick up, and the tool metrics.
 */
export class TelemetryToolCallHooks implements ToolCallScope, ToolCallObserver {
  constructor(
    private readonly telemetry: Telemetry,
    private readonly tenantLabel: (tenantId: string) => string,
  ) {}

  run<T>(tool: ToolDefinition, context: ToolContext, fn: () => Promise<T>): Promise<T> {
    updateRequestContext({ tool: tool.name, family: tool.family, tenantId: context.caller.tenantId });
    const attributes = {
      'mcp.tool.name': tool.name,
      family: tool.family,
      tenant: this.tenantLabel(context.caller.tenantId),
      'm365_gateway.correlation_id': context.correlationId,
    };
    return this.telemetry.withSpan(`mcp.tool ${tool.name}`, attributes, () => fn(), SpanKind.INTERNAL);
  }

  /** Called inside `run`, so the active span is the tool span. */
  onCallFinished(outcome: ToolCallOutcome): void {
    const { tool, durationMs, error } = outcome;
    this.telemetry.recordToolCall({
      tool: tool.name,
      family: tool.family,
      outcome: error ? 'error' : 'success',
      durationMs,
      errorCategory: error?.category,
    });
    const span = trace.getActiveSpan();
    if (span === undefined || error === undefined) return;
    span.setAttributes({ 'error.category': error.category, 'error.code': error.code });
    if (error.graphRequestId !== undefined) span.setAttribute('graph.request_id', error.graphRequestId);
    span.setStatus({ code: SpanStatusCode.ERROR, message: error.category });
  }
}
