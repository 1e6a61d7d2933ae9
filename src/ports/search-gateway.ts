import type { Identity } from '../domain/identity.js';
import type { Page } from '../domain/paging.js';
import type { SearchHit, SearchQuery } from '../domain/search.js';

export interface SearchGateway {
  /** Microsoft Search API (`POST /search/query`). */
  search(caller: Identity, query: SearchQuery, pageSize: number, cursor?: string): Promise<Page<SearchHit>>;
}
