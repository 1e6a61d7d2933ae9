/** Outcome of claiming an idempotency key. */
export type IdempotencyClaim =
  | { state: 'claimed' }
  | { state: 'in_progress' }
  | { state: 'completed'; result: string }
  | { state: 'mismatch' };

export interface IdempotencyStore {
  /**
   * Atomically claims `key` for a request whose arguments hash to `fingerprint`. Only one caller
   * ever gets `claimed` for a key until it is released or expires.
   */
  claim(key: string, fingerprint: string, ttlMs: number): Promise<IdempotencyClaim>;
  /** Stores the serialized result of the claimed request. */
  complete(key: string, fingerprint: string, result: string, ttlMs: number): Promise<void>;
  /** Releases a claim whose request failed before any side effect, so it can be retried. */
  release(key: string, fingerprint: string): Promise<void>;
}
