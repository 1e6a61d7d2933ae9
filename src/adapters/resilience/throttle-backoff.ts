import { setTimeout as sleep } from 'node:timers/promises';
import { DomainError } from '../../domain/errors.js';
import type { Cache } from '../../ports/cache.js';
import type { Clock } from '../../ports/clock.js';
import type { BackoffTarget } from './backoff-scope.js';

const MAX_LOCAL_KEYS = 10_000;

/**
 * "This mailbox (or tenant) backs off until t": set when Graph answers 429, shared by every replica
 * through the Cache port, so one throttled mailbox or tenant slows down everywhere while the others
 * are untouched. When the shared cache is down the replica still honours what it saw itself.
 */
export class ThrottleBackoff {
  private readonly local = new Map<string, number>();

  constructor(
    private readonly cache: Cache,
    private readonly clock: Clock,
    /** Longest wait before a call is refused with `throttled` instead. */
    private readonly maxWaitMs: number,
    private readonly random: () => number = Math.random,
  ) {}

  async record(target: BackoffTarget, retryAfterSeconds: number): Promise<void> {
    if (retryAfterSeconds <= 0) return;
    const until = this.clock.now() + retryAfterSeconds * 1000;
    if (until > (this.local.get(target.key) ?? 0)) {
      this.local.delete(target.key);
      if (this.local.size >= MAX_LOCAL_KEYS) this.dropExpired();
      this.local.set(target.key, until);
    }
    try {
      const shared = Number((await this.cache.get(cacheKey(target))) ?? 0);
      if (until > shared) await this.cache.set(cacheKey(target), String(until), retryAfterSeconds * 1000);
    } catch {
      // Shared cache down: this replica still backs off on its own knowledge.
    }
  }

  /**
   * Waits out the back-off (plus a little jitter) when it ends within the allowed wait, otherwise
   * refuses with `throttled` and the seconds left. Returns the milliseconds waited.
   */
  async admit(target: BackoffTarget): Promise<number> {
    let waited = 0;
    for (;;) {
      const left = (await this.until(target)) - this.clock.now();
      if (left <= 0) return waited;
      if (waited + left > this.maxWaitMs) {
        const seconds = Math.max(1, Math.ceil(left / 1000));
        throw new DomainError(
          'throttled',
          target.scope === 'mailbox' ? 'graph.mailboxBackoff' : 'graph.tenantBackoff',
          `Microsoft Graph is throttling this ${target.scope}. Retry after ${seconds} seconds.`,
          { retryAfterSeconds: seconds },
        );
      }
      const pause = left + this.random() * Math.min(500, left * 0.1);
      await sleep(pause);
      waited += pause;
    }
  }

  private async until(target: BackoffTarget): Promise<number> {
    const local = this.local.get(target.key) ?? 0;
    try {
      const shared = Number((await this.cache.get(cacheKey(target))) ?? 0);
      return Math.max(local, Number.isFinite(shared) ? shared : 0);
    } catch {
      return local;
    }
  }

  private dropExpired(): void {
    const now = this.clock.now();
    for (const [key, until] of this.local) if (until <= now) this.local.delete(key);
    if (this.local.size >= MAX_LOCAL_KEYS) {
      const oldest = this.local.keys().next();
      if (oldest.done !== true) this.local.delete(oldest.value);
    }
  }
}

/** `graph-backoff:<tenantId>` (unchanged since tenant-only back-off) or `graph-backoff:<tenantId>:<userId>`. */
function cacheKey(target: BackoffTarget): string {
  return `graph-backoff:${target.key}`;
}
