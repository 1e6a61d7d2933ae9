import { DomainError } from '../../domain/errors.js';
import { userKey } from '../../domain/identity.js';
import type { BucketLimit, RateLimiter } from '../../ports/rate-limiter.js';
import { NO_RESILIENCE_EVENTS, type ResilienceEvents } from '../resilience/resilience-events.js';
import type { ToolCallGuard } from './tool-call-pipeline.js';
import type { ToolContext, ToolDefinition } from './tools/tool-definition.js';

export interface RateLimits {
  tenant: { perSecond: number; burst: number };
  user: { perSecond: number; burst: number };
  tenantOverrides: Record<string, { perSecond: number; burst: number }>;
}

/** Token buckets per user and per tenant on every tool call; over either → `rate_limited`. */
export class RateLimitGuard implements ToolCallGuard {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly limits: RateLimits,
    private readonly events: ResilienceEvents = NO_RESILIENCE_EVENTS,
  ) {}

  async check(tool: ToolDefinition, context: ToolContext): Promise<void> {
    const { tenantId } = context.caller;
    // The narrower bucket first, so one noisy user does not spend the tenant's tokens.
    await this.take('user', `user:${userKey(context.caller)}`, bucket(this.limits.user), tenantId, tool.name);
    await this.take('tenant', `tenant:${tenantId}`, bucket(this.limits.tenantOverrides[tenantId] ?? this.limits.tenant), tenantId, tool.name);
  }

  private async take(scope: 'tenant' | 'user', key: string, limit: BucketLimit, tenantId: string, tool: string): Promise<void> {
    const decision = await this.limiter.take(key, limit);
    if (decision.allowed) return;
    const retryAfterSeconds = Math.max(1, Math.ceil(decision.retryAfterSeconds));
    this.events.rateLimited({ scope, tenantId, tool, retryAfterSeconds });
    const who = scope === 'user' ? 'this user' : 'this organization';
    throw new DomainError('rate_limited', `rateLimit.${scope}`, `Too many requests from ${who}. Retry after ${retryAfterSeconds} seconds.`, {
      retryAfterSeconds,
    });
  }
}

function bucket(limit: { perSecond: number; burst: number }): BucketLimit {
  return { capacity: limit.burst, refillPerSecond: limit.perSecond };
}
