/** One page of results. `nextCursor` is opaque to clients; absent on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface PageRequest {
  /** Page size; each use case clamps it to its own limit. */
  pageSize?: number;
  /** A cursor from a previous page; when present, filters of the first call are carried inside it. */
  cursor?: string;
}

export function clampPageSize(requested: number | undefined, fallback: number, max: number): number {
  if (requested === undefined) return fallback;
  return Math.min(Math.max(1, Math.trunc(requested)), max);
}
