import type { Identity } from '../../domain/identity.js';
import type { Page } from '../../domain/paging.js';
import type { SearchEntity, SearchHit, SearchQuery } from '../../domain/search.js';
import type { SearchGateway } from '../../ports/search-gateway.js';
import { fromBase64Url, invalidCursor, toBase64Url } from './graph-cursor.js';
import type { GraphHttpClient } from './graph-http-client.js';
import { toSearchContainer } from './normalize-search.js';

/**
 * What Graph can search in one request. message and event must each stand alone and return at most 25
 * hits per request; driveItem and listItem combine (files come back as driveItem, other list items as
 * listItem, none twice) and allow bigger pages.
 */
type Group = 'message' | 'event' | 'sharepoint';
const GROUPS: ReadonlyArray<{ group: Group; entities: readonly SearchEntity[]; maxSize: number }> = [
  { group: 'message', entities: ['message'], maxSize: 25 },
  { group: 'event', entities: ['event'], maxSize: 25 },
  { group: 'sharepoint', entities: ['driveItem', 'listItem'], maxSize: 500 },
];
/** Microsoft Search pages no deeper than this; stop offering more beyond it. */
const MAX_FROM = 1000;

/** Search cursor: the query it belongs to and, per request group with more results, where to resume. */
interface SearchCursor {
  v: 2;
  q: string;
  e: SearchEntity[];
  o: Partial<Record<Group, number>>;
}

interface PlannedRequest {
  group: Group;
  entityTypes: SearchEntity[];
  from: number;
  size: number;
}

function groupsOf(query: SearchQuery): Array<{ group: Group; entityTypes: SearchEntity[]; maxSize: number }> {
  return GROUPS.map((g) => ({ group: g.group, entityTypes: g.entities.filter((e) => query.entities.includes(e)), maxSize: g.maxSize })).filter(
    (g) => g.entityTypes.length > 0,
  );
}

function decodeCursor(cursor: string, query: SearchQuery): SearchCursor {
  const c = fromBase64Url(cursor) as Partial<SearchCursor> | null;
  if (typeof c !== 'object' || c === null || c.v !== 2 || typeof c.o !== 'object' || c.o === null) throw invalidCursor();
  // The cursor must belong to this very search; a cursor of another query would mix results.
  if (c.q !== query.query || !Array.isArray(c.e) || c.e.join() !== query.entities.join()) throw invalidCursor();
  const groups = groupsOf(query).map((g) => g.group as string);
  for (const [group, from] of Object.entries(c.o)) {
    if (!groups.includes(group) || typeof from !== 'number' || !Number.isInteger(from) || from < 0 || from > MAX_FROM) throw invalidCursor();
  }
  return c as SearchCursor;
}

/** Splits `pageSize` over the groups still searching, earlier ones taking the remainder, each within its cap. */
function plan(query: SearchQuery, offsets: Partial<Record<Group, number>>, pageSize: number): PlannedRequest[] {
  const active = groupsOf(query).filter((g) => offsets[g.group] !== undefined);
  const base = Math.floor(pageSize / active.length);
  const extra = pageSize % active.length;
  return active.map((g, i) => ({ group: g.group, entityTypes: g.entityTypes, from: offsets[g.group] ?? 0, size: Math.min(g.maxSize, base + (i < extra ? 1 : 0)) }));
}

/**
 * Microsoft Search over mail, events, files and SharePoint list items. Graph cannot put message, event and
 * the SharePoint types in one request (nor batch them as several requests in one body), so each group gets
 * its own `POST /search/query`; a page holds a share of hits from each, grouped.
 */
export class HttpSearchGateway implements SearchGateway {
  constructor(private readonly graph: GraphHttpClient) {}

  async search(caller: Identity, query: SearchQuery, pageSize: number, cursor?: string): Promise<Page<SearchHit>> {
    const offsets: Partial<Record<Group, number>> =
      cursor === undefined ? Object.fromEntries(groupsOf(query).map((g) => [g.group, 0])) : decodeCursor(cursor, query).o;
    const results = await Promise.all(
      plan(query, offsets, pageSize).map(async (r) => {
        if (r.size === 0) return { group: r.group, hits: [] as SearchHit[], next: r.from };
        const body = await this.graph.request<unknown>(caller, {
          family: 'search',
          operation: 'search.query',
          method: 'POST',
          path: '/search/query',
          body: { requests: [{ entityTypes: r.entityTypes, query: { queryString: query.query }, from: r.from, size: r.size }] },
          // Read-only despite POST.
          idempotent: true,
        });
        const container = toSearchContainer(r.entityTypes, body);
        const next = r.from + container.hits.length;
        const more = container.moreResultsAvailable && container.hits.length > 0 && next < MAX_FROM;
        return { group: r.group, hits: container.hits, next: more ? next : undefined };
      }),
    );
    const nextOffsets: Partial<Record<Group, number>> = {};
    for (const r of results) if (r.next !== undefined) nextOffsets[r.group] = r.next;
    const page: Page<SearchHit> = { items: results.flatMap((r) => r.hits) };
    if (Object.keys(nextOffsets).length > 0) {
      const next: SearchCursor = { v: 2, q: query.query, e: query.entities, o: nextOffsets };
      page.nextCursor = toBase64Url(next);
    }
    return page;
  }
}
