import { McpError, ErrorCode, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import { DomainError } from '../../domain/errors.js';
import type { Logger } from '../../ports/logger.js';
import type { Clock } from '../../ports/clock.js';
import { toErrorResult, toToolError, type ToolError } from './error-mapper.js';
import type { ToolContext, ToolDefinition } from './tools/tool-definition.js';
import type { ToolRegistry } from './tools/tool-registry.js';

/** Runs before a tool (flags, rate limits, scopes); throws a DomainError to refuse the call. */
export interface ToolCallGuard {
  check(tool: ToolDefinition, context: ToolContext, input: Record<string, unknown>): Promise<void>;
}

export interface ToolCallOutcome {
  tool: ToolDefinition;
  context: ToolContext;
  durationMs: number;
  error?: ToolError;
}

/** Sees every finished call (metrics, audit). Must not throw. */
export interface ToolCallObserver {
  onCallFinished(outcome: ToolCallOutcome): void;
}

/**
 * Wraps a tool's own run (e.g. idempotency around side effects). Returns what `next` returns or
 * a stored earlier result.
 */
export interface ToolCallInterceptor {
  intercept(
    tool: ToolDefinition,
    context: ToolContext,
    input: Record<string, unknown>,
    next: () => Promise<unknown>,
  ): Promise<unknown>;
}

/** Runs a whole call (validation included) inside a scope: a trace span, the log context. */
export interface ToolCallScope {
  run<T>(tool: ToolDefinition, context: ToolContext, fn: () => Promise<T>): Promise<T>;
}

export interface ToolCallPipelineDeps {
  registry: ToolRegistry;
  logger: Logger;
  clock: Clock;
  guards?: ToolCallGuard[];
  interceptors?: ToolCallInterceptor[];
  observers?: ToolCallObserver[];
  scope?: ToolCallScope;
}

/** validate → guards → run → map: the data path of one tool call. */
export class ToolCallPipeline {
  constructor(private readonly deps: ToolCallPipelineDeps) {}

  async call(name: string, args: unknown, context: ToolContext): Promise<CallToolResult> {
    const tool = this.deps.registry.get(name);
    // An unknown tool stays a protocol error (-32602), not a tool result.
    if (!tool) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${name}`);
    const scope = this.deps.scope;
    return scope ? scope.run(tool, context, () => this.callKnown(tool, args, context)) : this.callKnown(tool, args, context);
  }

  private async callKnown(tool: ToolDefinition, args: unknown, context: ToolContext): Promise<CallToolResult> {
    const started = this.deps.clock.now();
    try {
      const input = parseInput(tool, args ?? {});
      for (const guard of this.deps.guards ?? []) await guard.check(tool, context, input);
      const output = await this.runIntercepted(tool, context, input);
      this.finish({ tool, context, durationMs: this.deps.clock.now() - started });
      return { content: [{ type: 'text', text: JSON.stringify(output) }], structuredContent: output as Record<string, unknown> };
    } catch (error) {
      const toolError = toToolError(error, context.correlationId);
      if (toolError.category === 'internal') {
        this.deps.logger.error('tool call failed unexpectedly', { tool: tool.name, correlationId: context.correlationId, err: error });
      }
      this.finish({ tool, context, durationMs: this.deps.clock.now() - started, error: toolError });
      return toErrorResult(toolError);
    }
  }

  private runIntercepted(tool: ToolDefinition, context: ToolContext, input: Record<string, unknown>): Promise<unknown> {
    const chain = (this.deps.interceptors ?? []).reduceRight<() => Promise<unknown>>(
      (next, interceptor) => () => interceptor.intercept(tool, context, input, next),
      () => tool.run(context, input),
    );
    return chain();
  }

  private finish(outcome: ToolCallOutcome): void {
    const { tool, context, durationMs, error } = outcome;
    this.deps.logger.info('tool call', {
      tool: tool.name,
      family: tool.family,
      correlationId: context.correlationId,
      outcome: error ? error.category : 'ok',
      errorCode: error?.code,
      graphRequestId: error?.graphRequestId,
      durationMs,
    });
    for (const observer of this.deps.observers ?? []) observer.onCallFinished(outcome);
  }
}

function parseInput(tool: ToolDefinition, args: unknown): Record<string, unknown> {
  const parsed = tool.input.safeParse(args);
  if (parsed.success) return parsed.data as Record<string, unknown>;
  throw new DomainError('invalid_input', 'input.invalid', describeIssues(parsed.error));
}

/** A short, model-readable summary of what was wrong; never echoes the offending values. */
function describeIssues(error: z.ZodError): string {
  const parts = error.issues.slice(0, 5).map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : '(arguments)';
    return `${path}: ${issue.message}`;
  });
  const more = error.issues.length > 5 ? ` (+${error.issues.length - 5} more)` : '';
  return `Invalid arguments. ${parts.join('; ')}${more}`;
}
