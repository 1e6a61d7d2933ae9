import { invalidInput } from './errors.js';

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

/** Cursors we issue are short base64url strings; anything else is rejected before any I/O. */
export const MAX_CURSOR_LENGTH = 8192;

export function validateCursor(cursor: unknown): string | undefined {
  if (cursor === undefined) return undefined;
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) {
    throw invalidInput('paging.invalidCursor', 'The cursor is not valid. Pass nextCursor exactly as returned, or omit it to start from the first page.');
  }
  return cursor;
}
