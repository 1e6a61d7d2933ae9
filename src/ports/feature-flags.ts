/** Operator overrides, changeable at run time without a deploy. */
export interface FlagOverrides {
  /** Tool names or families (`mail`, `search`, ...) switched off. */
  disabled: string[];
  readOnly?: boolean;
  /** Per-family Graph concurrency override. */
  concurrency?: Record<string, number>;
  /** Multiplier for Graph retry backoff (>= 1). */
  backoffMultiplier?: number;
}

export interface FeatureFlagStore {
  read(): Promise<FlagOverrides>;
  write(overrides: FlagOverrides): Promise<void>;
}
