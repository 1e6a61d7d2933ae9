import type { Identity } from '../../domain/identity.js';
import { userKey } from '../../domain/identity.js';
import type { Page } from '../../domain/paging.js';
import type { SearchHit, SearchQuery } from '../../domain/search.js';
import type { SearchGateway } from '../../ports/search-gateway.js';
import { pageOf } from './in-memory-paging.js';

/** A searchable document: a hit plus the text that matches it. */
export interface SearchDocument {
  hit: Omit<SearchHit, 'rank'>;
  text: string;
}

/** Keyword search over documents per user: every query word must occur in the title or text. */
export class InMemorySearchGateway implements SearchGateway {
  private readonly indexes = new Map<string, SearchDocument[]>();

  add(owner: Pick<Identity, 'tenantId' | 'objectId'>, ...docs: SearchDocument[]): void {
    const key = userKey(owner);
    this.indexes.set(key, [...(this.indexes.get(key) ?? []), ...docs]);
  }

  async search(caller: Identity, query: SearchQuery, pageSize: number, cursor?: string): Promise<Page<SearchHit>> {
    const docs = this.indexes.get(userKey(caller)) ?? [];
    return pageOf(query, pageSize, cursor, (q) => {
      const words = q.query.toLowerCase().split(/\s+/).filter((w) => w !== '');
      return docs
        .filter((d) => q.entities.includes(d.hit.entity))
        .filter((d) => {
          const haystack = `${d.hit.title}\n${d.text}`.toLowerCase();
          return words.every((w) => haystack.includes(w));
        })
        .map((d, i) => ({ ...d.hit, rank: i + 1 }));
    });
  }
}
