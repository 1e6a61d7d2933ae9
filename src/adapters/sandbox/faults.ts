import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { createPrng } from './prng.js';
import type { Prng } from './prng.js';

/**
 * Graph-like throttling: a sampled request opens a window for its scope key (app + mailbox for
 * Outlook, the whole tenant for services that limit per tenant); every request with that key inside
 * the window gets 429 with the Retry-After left, and, as on Graph, requests sent while throttled
 * still count against the limit, so each one pushes the window out (up to `maxWindowSeconds`).
 */
export const throttleConfigSchema = z.object({
  /** Chance that a request outside a window opens one (and is answered 429). */
  rate: z.number().min(0).max(1),
  retryAfterSeconds: z.number().int().min(1).default(1),
  scope: z.enum(['mailbox', 'tenant']).default('mailbox'),
  extendOnViolation: z.boolean().default(true),
  /** How far one request inside a window pushes it out: ~one request's share of Outlook's 10,000 per 10 minutes. */
  violationPenaltyMs: z.number().int().min(0).default(60),
  /** Longest a window can grow to, from its opening. */
  maxWindowSeconds: z.number().int().min(1).default(30),
}).refine((t) => t.maxWindowSeconds >= t.retryAfterSeconds, { message: 'maxWindowSeconds must be at least retryAfterSeconds' });

export type ThrottleConfig = z.output<typeof throttleConfigSchema>;

/** Whose request it is, from its access token: the throttle window's key. */
export interface ThrottleSubject {
  tenantId: string;
  userId: string;
}

/** Fault injection: throttling, outages, latency and connection resets, seeded so a failing run can be replayed. */
export const faultConfigSchema = z.object({
  /** Graph-like throttle windows (below); `status429Rate` is the memoryless kind: each request on its own. */
  throttle: throttleConfigSchema.optional(),
  status429Rate: z.number().min(0).max(1).default(0),
  retryAfterSeconds: z.number().int().min(0).default(1),
  status503Rate: z.number().min(0).max(1).default(0),
  /** Retry-After on 503s; omitted when undefined (Graph sends it only sometimes). */
  retryAfterSeconds503: z.number().int().min(0).optional(),
  latencyMs: z.number().int().min(0).default(0),
  resetRate: z.number().min(0).max(1).default(0),
  /** Regular expression (string) a request path must match. */
  pathPattern: z.string().optional(),
  method: z.string().optional(),
  /** Inject only for the next N matching requests, then stop. */
  count: z.number().int().min(1).optional(),
  /** 'after': run the handler first (its effects persist), then fail: to test non-idempotent retries. */
  phase: z.enum(['before', 'after']).default('before'),
});

export type FaultConfigInput = z.input<typeof faultConfigSchema>;
export type FaultConfig = z.output<typeof faultConfigSchema>;

export type FaultDecision =
  | { kind: 'none'; latencyMs: number }
  | {
      kind: 'reset' | 'status429' | 'status503';
      latencyMs: number;
      phase: 'before' | 'after';
      retryAfterSeconds?: number;
    };

interface ThrottleWindow {
  openedAt: number;
  until: number;
}

export class FaultController {
  private config: FaultConfig | undefined;
  private pattern: RegExp | undefined;
  private remaining: number | undefined;
  private readonly prng: Prng;
  private readonly windows = new Map<string, ThrottleWindow>();

  constructor(
    /** A seed, or a generator of one's own (tests script the draws). */
    seed: number | Prng = 1,
    /** The sandbox's clock: throttle windows open and close on it. */
    private readonly now: () => number = Date.now,
  ) {
    this.prng = typeof seed === 'number' ? createPrng(seed) : seed;
  }

  set(input: FaultConfigInput): FaultConfig {
    const config = faultConfigSchema.parse(input);
    this.pattern = config.pathPattern === undefined ? undefined : new RegExp(config.pathPattern);
    this.config = config;
    this.remaining = config.count;
    this.windows.clear();
    return config;
  }

  clear(): void {
    this.config = undefined;
    this.pattern = undefined;
    this.remaining = undefined;
    this.windows.clear();
  }

  current(): (FaultConfig & { remaining?: number }) | undefined {
    return this.config
      ? { ...this.config, ...(this.remaining === undefined ? {} : { remaining: this.remaining }) }
      : undefined;
  }

  /**
   * Decides for one request; each matching request consumes one unit of `count`. `subject` is
   * asked only in throttle mode; a request without one (no valid token) is never throttled.
   */
  decide(method: string, path: string, subject?: () => ThrottleSubject | undefined): FaultDecision {
    const c = this.config;
    if (!c) return { kind: 'none', latencyMs: 0 };
    if (c.method !== undefined && c.method.toUpperCase() !== method.toUpperCase())
      return { kind: 'none', latencyMs: 0 };
    if (this.pattern && !this.pattern.test(path)) return { kind: 'none', latencyMs: 0 };
    if (this.remaining !== undefined) {
      if (this.remaining <= 0) return { kind: 'none', latencyMs: 0 };
      this.remaining -= 1;
    }
    const base = { latencyMs: c.latencyMs, phase: c.phase };
    const caller = c.throttle && subject?.();
    if (c.throttle && caller) {
      const retryAfterSeconds = this.throttle(c.throttle, caller);
      if (retryAfterSeconds !== undefined) return { kind: 'status429', latencyMs: c.latencyMs, phase: 'before', retryAfterSeconds };
    }
    const roll = this.prng.next();
    if (roll < c.resetRate) return { kind: 'reset', ...base };
    if (roll < c.resetRate + c.status429Rate)
      return { kind: 'status429', ...base, retryAfterSeconds: c.retryAfterSeconds };
    if (roll < c.resetRate + c.status429Rate + c.status503Rate) {
      return {
        kind: 'status503',
        ...base,
        ...(c.retryAfterSeconds503 === undefined ? {} : { retryAfterSeconds: c.retryAfterSeconds503 }),
      };
    }
    return { kind: 'none', latencyMs: c.latencyMs };
  }

  /** Seconds of Retry-After when the caller's window is open (or this request opens one), else undefined. */
  private throttle(t: ThrottleConfig, caller: ThrottleSubject): number | undefined {
    const key = t.scope === 'tenant' ? caller.tenantId : `${caller.tenantId}/${caller.userId}`;
    const now = this.now();
    let window = this.windows.get(key);
    if (window !== undefined && window.until <= now) {
      this.windows.delete(key);
      window = undefined;
    }
    if (window === undefined) {
      if (this.prng.next() >= t.rate) return undefined;
      window = { openedAt: now, until: now + t.retryAfterSeconds * 1000 };
      this.windows.set(key, window);
    } else if (t.extendOnViolation) {
      window.until = Math.min(window.until + t.violationPenaltyMs, window.openedAt + t.maxWindowSeconds * 1000);
    }
    // Whole seconds, rounded up: a client that waits exactly this long finds the window closed.
    return Math.max(1, Math.ceil((window.until - now) / 1000));
  }
}

export async function applyLatency(decision: FaultDecision): Promise<void> {
  if (decision.latencyMs > 0) await sleep(decision.latencyMs);
}
