import type { Identity } from '../../domain/identity.js';
import type { Page } from '../../domain/paging.js';
import type { SearchEntity, SearchHit, SearchQuery } from '../../domain/search.js';
import type { SearchGateway } from '../../ports/search-gateway.js';
import { fromBase64Url, invalidCursor, toBase64Url } from './graph-cursor.js';
import type { GraphHttpClient } from './graph-http-client.js';
import { toSearchContainer } from './normalize-search.js';

/** Graph returns at most 25 message or event hits per request. */
const MAX_SIZE_PER_ENTITY = 25;
/** Microsoft Search pages no deeper than this; stop offering more beyond it. */
const MAX_FROM = 1000;
const ENTITIES: readonly SearchEntity[] = ['message', 'event', 'driveItem'];

/** Search cursor: the query it belongs to and, per entity with more results, where to resume. */
interface SearchCursor {
  v: 1;
  q: string;
  e: SearchEntity[];
  o: Partial<Record<SearchEntity, number>>;
}

function decodeCursor(cursor: string, query: SearchQuery): SearchCursor {
  const c = fromBase64Url(cursor) as Partial<SearchCursor> | null;
  if (typeof c !== 'object' || c === null || c.v !== 1 || typeof c.o !== 'object' || c.o === null) throw invalidCursor();
  // The cursor must belong to this very search; a cursor of another query would mix results.
  if (c.q !== query.query || !Array.isArray(c.e) || c.e.join() !== query.entities.join()) throw invalidCursor();
  for (const [entity, from] of Object.entries(c.o)) {
    if (!query.entities.includes(entity as SearchEntity) || typeof from !== 'number' || !Number.isInteger(from) || from < 0 || from > MAX_FROM) {
      throw invalidCursor();
    }
  }
  return c as SearchCursor;
}

/** Splits `pageSize` over the entities, earlier entities taking the remainder. */
function shares(entities: SearchEntity[], pageSize: number): Array<[SearchEntity, number]> {
  const base = Math.floor(pageSize / entities.length);
  const extra = pageSize % entities.length;
  return entities.map((e, i) => [e, Math.min(MAX_SIZE_PER_ENTITY, base + (i < extra ? 1 : 0))]);
}

/**
 * Microsoft Search over mail, events and files. Graph cannot interleave message, event and driveItem
 * in one request (nor batch them as several requests in one body), so each entity gets its own
 * `POST /search/query`; a page holds a share of hits from each, grouped by entity.
 */
export class HttpSearchGateway implements SearchGateway {
  constructor(private readonly graph: GraphHttpClient) {}

  async search(caller: Identity, query: SearchQuery, pageSize: number, cursor?: string): Promise<Page<SearchHit>> {
    const offsets: Partial<Record<SearchEntity, number>> =
      cursor === undefined ? Object.fromEntries(query.entities.map((e) => [e, 0])) : decodeCursor(cursor, query).o;
    const active = ENTITIES.filter((e) => offsets[e] !== undefined);
    const plan = shares(active, pageSize);
    const results = await Promise.all(
      plan.map(async ([entity, size]) => {
        const from = offsets[entity] ?? 0;
        if (size === 0) return { entity, hits: [] as SearchHit[], next: from };
        const body = await this.graph.request<unknown>(caller, {
          family: 'search',
          operation: 'search.query',
          method: 'POST',
          path: '/search/query',
          body: { requests: [{ entityTypes: [entity], query: { queryString: query.query }, from, size }] },
          // Read-only despite POST.
          idempotent: true,
        });
        const container = toSearchContainer(entity, body);
        const next = from + container.hits.length;
        const more = container.moreResultsAvailable && container.hits.length > 0 && next < MAX_FROM;
        return { entity, hits: container.hits, next: more ? next : undefined };
      }),
    );
    const nextOffsets: Partial<Record<SearchEntity, number>> = {};
    for (const r of results) if (r.next !== undefined) nextOffsets[r.entity] = r.next;
    const page: Page<SearchHit> = { items: results.flatMap((r) => r.hits) };
    if (Object.keys(nextOffsets).length > 0) {
      const next: SearchCursor = { v: 1, q: query.query, e: query.entities, o: nextOffsets };
      page.nextCursor = toBase64Url(next);
    }
    return page;
  }
}
