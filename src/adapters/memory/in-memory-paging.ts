import { invalidInput } from '../../domain/errors.js';
import type { Page } from '../../domain/paging.js';

/** Offset cursors for the in-memory gateways: base64url JSON carrying the offset and the query. */
interface OffsetCursor<Q> {
  o: number;
  q: Q;
}

const invalidCursor = (): Error =>
  invalidInput('paging.invalidCursor', 'The cursor is not valid. Pass nextCursor exactly as returned, or omit it to start from the first page.');

function decode<Q>(cursor: string): OffsetCursor<Q> {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<OffsetCursor<Q>>;
    if (typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0 && 'q' in parsed) return parsed as OffsetCursor<Q>;
  } catch {
    // fall through
  }
  throw invalidCursor();
}

/** One page of `all`, resuming from `cursor` when given; the query travels inside the cursor. */
export function pageOf<T, Q>(query: Q, pageSize: number, cursor: string | undefined, select: (q: Q) => T[]): Page<T> {
  const state: OffsetCursor<Q> = cursor === undefined ? { o: 0, q: query } : decode<Q>(cursor);
  const all = select(state.q);
  const items = all.slice(state.o, state.o + pageSize);
  const next = state.o + items.length;
  if (next >= all.length || items.length === 0) return { items };
  return { items, nextCursor: Buffer.from(JSON.stringify({ o: next, q: state.q }), 'utf8').toString('base64url') };
}
