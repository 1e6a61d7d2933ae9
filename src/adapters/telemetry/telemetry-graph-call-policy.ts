import { SpanKind } from '@opentelemetry/api';
import type { GraphCallContext, GraphCallPolicy } from '../graph/graph-call-policy.js';
import type { Clock } from '../../ports/clock.js';
import type { Telemetry } from './telemetry.js';

/**
 * Decorates the resilience policy: one CLIENT span per Graph call around all its attempts, and,
 * by watching the attempts the inner policy makes, retries (metric + span event), the time spent
 * waiting between attempts (backoff histogram) and each throttling answer. The inner policy needs
 * no telemetry code for these.
 */
export class TelemetryGraphCallPolicy implements GraphCallPolicy {
  constructor(
    private readonly inner: GraphCallPolicy,
    private readonly telemetry: Telemetry,
    private readonly clock: Clock,
    private readonly tenantLabel: (tenantId: string) => string,
  ) {}

  execute<T>(ctx: GraphCallContext, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const attributes = {
      family: ctx.family,
      'graph.operation': ctx.operation,
      'graph.idempotent': ctx.idempotent,
      tenant: this.tenantLabel(ctx.tenantId),
    };
    return this.telemetry.withSpan(`graph ${ctx.operation}`, attributes, async (span) => {
      let attempts = 0;
      let lastFailure: { at: number; status?: number } | undefined;
      const result = await this.inner.execute(ctx, async (signal) => {
        attempts += 1;
        if (lastFailure !== undefined) {
          const waitedMs = this.clock.now() - lastFailure.at;
          this.telemetry.recordGraphRetry({ family: ctx.family, attempt: attempts, delayMs: waitedMs, status: lastFailure.status });
          this.telemetry.recordBackoff({ family: ctx.family, durationMs: waitedMs });
        }
        try {
          return await fn(signal);
        } catch (error) {
          const failure = describe(error);
          lastFailure = { at: this.clock.now(), status: failure.status };
          if (failure.throttled) {
            this.telemetry.recordThrottle({ family: ctx.family, tenantId: ctx.tenantId, retryAfterSeconds: failure.retryAfterSeconds });
          }
          if (failure.status !== undefined) span.setAttribute('http.response.status_code', failure.status);
          if (failure.graphRequestId !== undefined) span.setAttribute('graph.request_id', failure.graphRequestId);
          throw error;
        }
      });
      span.setAttribute('graph.attempts', attempts);
      return result;
    }, SpanKind.CLIENT);
  }
}

interface Failure {
  status?: number;
  throttled: boolean;
  retryAfterSeconds?: number;
  graphRequestId?: string;
}

/** Reads the DomainError fields the Graph client sets (category, httpStatus, retryAfterSeconds, graphRequestId). */
function describe(error: unknown): Failure {
  const e = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const status = typeof e.httpStatus === 'number' ? e.httpStatus : undefined;
  return {
    status,
    throttled: e.category === 'throttled' || status === 429,
    retryAfterSeconds: typeof e.retryAfterSeconds === 'number' ? e.retryAfterSeconds : undefined,
    graphRequestId: typeof e.graphRequestId === 'string' ? e.graphRequestId : undefined,
  };
}
