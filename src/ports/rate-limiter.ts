export interface BucketLimit {
  /** Maximum burst. */
  capacity: number;
  /** Tokens added per second. */
  refillPerSecond: number;
}

export interface RateDecision {
  allowed: boolean;
  /** When not allowed: seconds until one token is available. */
  retryAfterSeconds: number;
}

/** Token buckets shared across replicas. */
export interface RateLimiter {
  take(key: string, limit: BucketLimit, cost?: number): Promise<RateDecision>;
}
