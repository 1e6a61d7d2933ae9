import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DomainError, isDomainError } from '../../domain/errors.js';
import type { Clock } from '../../ports/clock.js';
import type { IdempotencyStore } from '../../ports/idempotency-store.js';
import type { Logger } from '../../ports/logger.js';
import { LOCAL_REFUSALS, provesNotProcessed } from '../resilience/graph-failure.js';
import type { ToolCallInterceptor } from './tool-call-pipeline.js';
import type { ToolContext, ToolDefinition } from './tools/tool-definition.js';

export const IDEMPOTENCY_KEY_ARG = 'idempotency_key';

export interface IdempotencyOptions {
  ttlMs: number;
  /** How long a duplicate waits for the first call before a retryable `unavailable`. */
  waitMs: number;
  pollMs?: number;
}

/** What the store keeps: the first call's output, or that its outcome is unknown. */
type StoredOutcome = { ok: unknown } | { unknown: true };

/** Failures that prove nothing happened: the claim is released so the same key can try again. */
const NOTHING_DONE = new Set(['invalid_input', 'auth_required', 'forbidden', 'not_found', 'conflict', 'payload_too_large', 'rate_limited', 'feature_disabled']);

/**
 * At-most-once side effects for tools that declare `readOnlyHint: false` and accept
 * `idempotency_key`: the first call with a key runs; repeats with the same arguments get its
 * result without calling Graph; other arguments get `conflict`; concurrent repeats wait for the
 * first (bounded). Keys are scoped to tenant, user and tool. See docs/resilience.md.
 */
export class IdempotencyInterceptor implements ToolCallInterceptor {
  constructor(
    private readonly store: IdempotencyStore,
    private readonly clock: Clock,
    private readonly options: IdempotencyOptions,
    private readonly logger?: Logger,
  ) {}

  async intercept(tool: ToolDefinition, context: ToolContext, input: Record<string, unknown>, next: () => Promise<unknown>): Promise<unknown> {
    const key = input[IDEMPOTENCY_KEY_ARG];
    if (tool.annotations.readOnlyHint || !(IDEMPOTENCY_KEY_ARG in tool.input.shape) || typeof key !== 'string') return next();
    const { [IDEMPOTENCY_KEY_ARG]: _key, ...args } = input;
    const scoped = `${tool.name}:${sha256([context.caller.tenantId, context.caller.objectId, tool.name, key].join('\n'))}`;
    const fingerprint = sha256(canonicalJson(args));
    const deadline = this.clock.now() + this.options.waitMs;
    for (;;) {
      const claim = await this.store.claim(scoped, fingerprint, this.options.ttlMs);
      switch (claim.state) {
        case 'claimed':
          return this.runClaimed(tool, context, scoped, fingerprint, next);
        case 'completed':
          return replay(claim.result);
        case 'mismatch':
          throw new DomainError(
            'conflict',
            'idempotency.keyReused',
            'This idempotency_key was already used with different arguments. Use a new key for a different request.',
          );
        case 'in_progress':
          if (this.clock.now() >= deadline) {
            throw new DomainError(
              'unavailable',
              'idempotency.inProgress',
              'A call with this idempotency_key is still in progress (or its outcome was lost). Retry later with the same key; it will not act twice.',
              { retryAfterSeconds: 2 },
            );
          }
          await sleep(this.options.pollMs ?? 100);
      }
    }
  }

  private async runClaimed(tool: ToolDefinition, context: ToolContext, scoped: string, fingerprint: string, next: () => Promise<unknown>): Promise<unknown> {
    let output: unknown;
    try {
      output = await next();
    } catch (error) {
      if (nothingDone(error)) {
        await this.store.release(scoped, fingerprint).catch(() => undefined);
      } else {
        // It may have happened: remember that, so a retry with this key never acts again.
        await this.save(tool, context, scoped, fingerprint, { unknown: true });
      }
      throw error;
    }
    await this.save(tool, context, scoped, fingerprint, { ok: output });
    return output;
  }

  private async save(tool: ToolDefinition, context: ToolContext, scoped: string, fingerprint: string, outcome: StoredOutcome): Promise<void> {
    try {
      await this.store.complete(scoped, fingerprint, JSON.stringify(outcome), this.options.ttlMs);
    } catch (error) {
      // The claim stays `in_progress` until its TTL: retries get a retryable answer, never a second call.
      this.logger?.warn('idempotency outcome could not be stored', { tool: tool.name, correlationId: context.correlationId, err: error });
    }
  }
}

function nothingDone(error: unknown): boolean {
  if (!isDomainError(error)) return false;
  return NOTHING_DONE.has(error.category) || LOCAL_REFUSALS.has(error.code) || provesNotProcessed(error);
}

function replay(stored: string): unknown {
  let outcome: StoredOutcome | undefined;
  try {
    outcome = JSON.parse(stored) as StoredOutcome;
  } catch {
    outcome = undefined;
  }
  if (outcome !== undefined && 'ok' in outcome) return outcome.ok;
  throw new DomainError(
    'conflict',
    'idempotency.outcomeUnknown',
    'An earlier call with this idempotency_key reached Microsoft Graph but its outcome is unknown, so it may have taken effect. ' +
      'Check (for a mail: Sent Items) and use a new idempotency_key to do it again.',
  );
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

/** JSON with object keys sorted, so the same arguments always fingerprint alike. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
