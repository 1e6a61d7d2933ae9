import { setTimeout as sleep } from 'node:timers/promises';
import { DomainError } from '../../domain/errors.js';
import type { Cache } from '../../ports/cache.js';
import type { Clock } from '../../ports/clock.js';

const MAX_LOCAL_TENANTS = 10_000;

/**
 * "Tenant T backs off until t": set when Graph answers 429 for T, shared by every replica through
 * the Cache port, so one throttled tenant slows down everywhere while other tenants are untouched.
 * When the shared cache is down the replica still honours what it saw itself.
 */
export class TenantBackoff {
  private readonly local = new Map<string, number>();

  constructor(
    private readonly cache: Cache,
    private readonly clock: Clock,
    /** Longest wait before a call is refused with `throttled` instead. */
    private readonly maxWaitMs: number,
    private readonly random: () => number = Math.random,
  ) {}

  async record(tenantId: string, retryAfterSeconds: number): Promise<void> {
    if (retryAfterSeconds <= 0) return;
    const until = this.clock.now() + retryAfterSeconds * 1000;
    if (until > (this.local.get(tenantId) ?? 0)) {
      this.local.delete(tenantId);
      if (this.local.size >= MAX_LOCAL_TENANTS) this.dropExpired();
      this.local.set(tenantId, until);
    }
    try {
      const shared = Number((await this.cache.get(key(tenantId))) ?? 0);
      if (until > shared) await this.cache.set(key(tenantId), String(until), retryAfterSeconds * 1000);
    } catch {
      // Shared cache down: this replica still backs off on its own knowledge.
    }
  }

  /**
   * Waits out the tenant's back-off (plus a little jitter) when it ends within the allowed wait,
   * otherwise refuses with `throttled` and the seconds left. Returns the milliseconds waited.
   */
  async admit(tenantId: string): Promise<number> {
    let waited = 0;
    for (;;) {
      const left = (await this.until(tenantId)) - this.clock.now();
      if (left <= 0) return waited;
      if (waited + left > this.maxWaitMs) {
        const seconds = Math.max(1, Math.ceil(left / 1000));
        throw new DomainError(
          'throttled',
          'graph.tenantBackoff',
          `Microsoft Graph is throttling this tenant. Retry after ${seconds} seconds.`,
          { retryAfterSeconds: seconds },
        );
      }
      const pause = left + this.random() * Math.min(500, left * 0.1);
      await sleep(pause);
      waited += pause;
    }
  }

  private async until(tenantId: string): Promise<number> {
    const local = this.local.get(tenantId) ?? 0;
    try {
      const shared = Number((await this.cache.get(key(tenantId))) ?? 0);
      return Math.max(local, Number.isFinite(shared) ? shared : 0);
    } catch {
      return local;
    }
  }

  private dropExpired(): void {
    const now = this.clock.now();
    for (const [tenant, until] of this.local) if (until <= now) this.local.delete(tenant);
    if (this.local.size >= MAX_LOCAL_TENANTS) {
      const oldest = this.local.keys().next();
      if (oldest.done !== true) this.local.delete(oldest.value);
    }
  }
}

function key(tenantId: string): string {
  return `graph-backoff:${tenantId}`;
}
