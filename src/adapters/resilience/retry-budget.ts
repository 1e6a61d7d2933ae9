import type { Clock } from '../../ports/clock.js';

export interface RetryBudgetOptions {
  /** Retries earned per first attempt (0.2: at most one retry per five calls in steady state). */
  ratio: number;
  /** Retries always allowed per second, so a quiet service can still retry. */
  minPerSecond: number;
  /** Most retries that can be saved up. */
  capacity: number;
}

/**
 * A retry budget (Finagle-style): every call deposits `ratio` tokens, time deposits
 * `minPerSecond`, and a retry withdraws one. During an outage retries are bounded by a fraction
 * of real traffic instead of multiplying it by maxAttempts.
 */
export class RetryBudget {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly options: RetryBudgetOptions,
    private readonly clock: Clock,
  ) {
    this.tokens = options.capacity;
    this.updatedAt = clock.now();
  }

  /** Called once per logical call (not per attempt). */
  deposit(): void {
    this.refill();
    this.tokens = Math.min(this.options.capacity, this.tokens + this.options.ratio);
  }

  /** True (and one token spent) when a retry is affordable. */
  tryWithdraw(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private refill(): void {
    const now = this.clock.now();
    const elapsed = Math.max(0, now - this.updatedAt) / 1000;
    this.updatedAt = now;
    this.tokens = Math.min(this.options.capacity, this.tokens + elapsed * this.options.minPerSecond);
  }
}
