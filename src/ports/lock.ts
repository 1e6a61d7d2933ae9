export interface LockLease {
  /** Releases the lock if this lease still owns it; never unlocks another owner's lease. */
  release(): Promise<void>;
}

/** A distributed mutual-exclusion lock with a bounded lease. */
export interface Lock {
  /** Returns a lease, or null when someone else holds the lock. */
  tryAcquire(key: string, ttlMs: number): Promise<LockLease | null>;
}
