import { invalidInput } from '../errors.js';
import type { Identity } from '../identity.js';
import { clampPageSize, validateCursor } from '../paging.js';
import type { Page, PageRequest } from '../paging.js';
import type { SearchEntity, SearchHit } from '../search.js';
import { hasControlChars, hasLoneSurrogate } from '../text.js';
import type { SearchGateway } from '../../ports/search-gateway.js';

export interface SearchInput extends PageRequest {
  query: string;
  /** Default: all of them. */
  entities?: SearchEntity[];
}

export interface SearchLimits {
  defaultPageSize: number;
  /** Graph returns at most 25 mail or event hits per request. */
  maxPageSize: number;
  maxQueryChars: number;
}

export const DEFAULT_SEARCH_LIMITS: SearchLimits = { defaultPageSize: 10, maxPageSize: 25, maxQueryChars: 500 };

export const SEARCH_ENTITIES: readonly SearchEntity[] = ['message', 'event', 'driveItem', 'listItem'];

/** Searches mail, events, files and SharePoint list items with Microsoft Search (KQL query string). */
export class Search {
  private readonly limits: SearchLimits;

  constructor(
    private readonly search: SearchGateway,
    limits: Partial<SearchLimits> = {},
  ) {
    this.limits = { ...DEFAULT_SEARCH_LIMITS, ...limits };
  }

  async execute(caller: Identity, input: SearchInput): Promise<Page<SearchHit>> {
    const pageSize = clampPageSize(input.pageSize, this.limits.defaultPageSize, this.limits.maxPageSize);
    const cursor = validateCursor(input.cursor);
    return this.search.search(caller, { query: this.query(input.query), entities: entities(input.entities) }, pageSize, cursor);
  }

  private query(value: unknown): string {
    if (typeof value !== 'string') throw invalidInput('search.invalidQuery', 'The query must be a string.');
    // Line breaks and tabs are just spaces to a search box; other control characters are not text.
    const query = value.replace(/[\t\r\n]+/g, ' ').trim();
    if (query === '') throw invalidInput('search.emptyQuery', 'Give some words to search for.');
    if (hasControlChars(query) || hasLoneSurrogate(query)) {
      throw invalidInput('search.invalidQuery', 'The query contains control or invalid characters.');
    }
    if (query.length > this.limits.maxQueryChars) {
      throw invalidInput('search.queryTooLong', `The query may have at most ${this.limits.maxQueryChars} characters; use fewer, more specific words.`);
    }
    return query;
  }
}

function entities(value: SearchEntity[] | undefined): SearchEntity[] {
  if (value === undefined) return [...SEARCH_ENTITIES];
  if (!Array.isArray(value) || value.length === 0) {
    throw invalidInput('search.invalidEntities', `entities must list one or more of ${SEARCH_ENTITIES.map((e) => `"${e}"`).join(', ')} (or be omitted for all).`);
  }
  for (const e of value) {
    if (!SEARCH_ENTITIES.includes(e)) {
      throw invalidInput('search.invalidEntities', `entities may only contain ${SEARCH_ENTITIES.map((e) => `"${e}"`).join(', ')}.`);
    }
  }
  // Canonical order, duplicates dropped: the same search always yields the same cursor.
  return SEARCH_ENTITIES.filter((e) => value.includes(e));
}
