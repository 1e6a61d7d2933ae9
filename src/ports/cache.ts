/** A shared, lossy key-value cache. Values are strings; callers never store plaintext secrets. */
export interface Cache {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
}
