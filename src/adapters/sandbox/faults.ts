import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { createPrng } from './prng.js';
import type { Prng } from './prng.js';

/** Fault injection: throttling, outages, latency and connection resets, seeded so a failing run can be replayed. */
export const faultConfigSchema = z.object({
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

export class FaultController {
  private config: FaultConfig | undefined;
  private pattern: RegExp | undefined;
  private remaining: number | undefined;
  private readonly prng: Prng;

  constructor(seed = 1) {
    this.prng = createPrng(seed);
  }

  set(input: FaultConfigInput): FaultConfig {
    const config = faultConfigSchema.parse(input);
    this.pattern = config.pathPattern === undefined ? undefined : new RegExp(config.pathPattern);
    this.config = config;
    this.remaining = config.count;
    return config;
  }

  clear(): void {
    this.config = undefined;
    this.pattern = undefined;
    this.remaining = undefined;
  }

  current(): (FaultConfig & { remaining?: number }) | undefined {
    return this.config
      ? { ...this.config, ...(this.remaining === undefined ? {} : { remaining: this.remaining }) }
      : undefined;
  }

  /** Decides for one request; each matching request consumes one unit of `count`. */
  decide(method: string, path: string): FaultDecision {
    const c = this.config;
    if (!c) return { kind: 'none', latencyMs: 0 };
    if (c.method !== undefined && c.method.toUpperCase() !== method.toUpperCase())
      return { kind: 'none', latencyMs: 0 };
    if (this.pattern && !this.pattern.test(path)) return { kind: 'none', latencyMs: 0 };
    if (this.remaining !== undefined) {
      if (this.remaining <= 0) return { kind: 'none', latencyMs: 0 };
      this.remaining -= 1;
    }
    const roll = this.prng.next();
    const base = { latencyMs: c.latencyMs, phase: c.phase };
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
}

export async function applyLatency(decision: FaultDecision): Promise<void> {
  if (decision.latencyMs > 0) await sleep(decision.latencyMs);
}
