import type { FeatureFlagStore, FlagOverrides } from '../../ports/feature-flags.js';
import type { Logger } from '../../ports/logger.js';
import type { GraphFamily } from '../graph/graph-call-policy.js';
import type { LiveTuning } from '../resilience/cockatiel-graph-call-policy.js';
import { NO_RESILIENCE_EVENTS, type ResilienceEvents } from '../resilience/resilience-events.js';

/** Deploy-time defaults (configuration); the store's overrides are layered on top. */
export interface FlagDefaults {
  /** Tool names or families off by configuration; an override cannot switch these back on. */
  disabled: string[];
  readOnly: boolean;
}

/** The flags in force on this replica right now. */
export interface EffectiveFlags {
  disabled: ReadonlySet<string>;
  readOnly: boolean;
  concurrency: Readonly<Record<string, number>>;
  backoffMultiplier?: number;
}

/**
 * Feature flags and live tuning: reads the shared store every `refreshMs` (every replica does,
 * so a change is in force everywhere within one interval) and keeps the last good snapshot when
 * the store cannot be read.
 */
export class PolledFeatureFlags implements LiveTuning {
  private snapshot: EffectiveFlags;
  private lastJson = '';
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: FeatureFlagStore,
    private readonly defaults: FlagDefaults,
    private readonly refreshMs: number,
    private readonly logger?: Logger,
    private readonly events: ResilienceEvents = NO_RESILIENCE_EVENTS,
  ) {
    this.snapshot = merge(defaults, { disabled: [] });
  }

  /** Reads once, then keeps polling until stop(). */
  async start(): Promise<void> {
    await this.refresh();
    this.timer ??= setInterval(() => void this.refresh(), this.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  async refresh(): Promise<void> {
    try {
      const overrides = await this.store.read();
      const json = JSON.stringify(overrides);
      const changed = json !== this.lastJson;
      if (changed) {
        this.snapshot = merge(this.defaults, overrides);
        this.lastJson = json;
        this.logger?.info('feature flags in force', { disabled: [...this.snapshot.disabled], readOnly: this.snapshot.readOnly });
      }
      this.events.flagsRefreshed({ changed });
    } catch (error) {
      // Keep the last good snapshot: a store outage must not flip tools on or off.
      this.logger?.warn('feature flags could not be refreshed; keeping the last ones', { err: error });
      this.events.flagsRefreshed({ changed: false, error: error instanceof Error ? error.message : String(error) });
    }
  }

  current(): EffectiveFlags {
    return this.snapshot;
  }

  concurrency(family: GraphFamily): number | undefined {
    return this.snapshot.concurrency[family];
  }

  backoffMultiplier(): number | undefined {
    return this.snapshot.backoffMultiplier;
  }
}

function merge(defaults: FlagDefaults, overrides: FlagOverrides): EffectiveFlags {
  return {
    disabled: new Set([...defaults.disabled, ...overrides.disabled]),
    readOnly: overrides.readOnly ?? defaults.readOnly,
    concurrency: { ...(overrides.concurrency ?? {}) },
    ...(overrides.backoffMultiplier === undefined ? {} : { backoffMultiplier: overrides.backoffMultiplier }),
  };
}
