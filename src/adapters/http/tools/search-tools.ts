import { z } from 'zod';
import { DEFAULT_SEARCH_LIMITS, type Search } from '../../../domain/use-cases/search.js';
import { READ_ONLY, defineTool, type ToolDefinition } from './tool-definition.js';
import { cursorInput, nextCursor, pageSizeInput, searchEntity, searchHit } from './schemas.js';

export interface SearchToolDeps {
  search: Search;
}

export function searchTools(deps: SearchToolDeps): ToolDefinition[] {
  return [
    defineTool({
      name: 'search_query',
      family: 'search',
      title: 'Search mail, events, files and lists',
      description:
        'Microsoft Search (KQL) over your mail, events, OneDrive/SharePoint files and SharePoint list items, best first. Then mail_get_message or files_download on a hit id; open list items at webUrl.',
      input: z.object({
        query: z.string().min(1).max(500).describe('Keywords or KQL, e.g. "budget from:megan".'),
        entities: z.array(searchEntity).min(1).max(4).optional().describe('Default all.'),
        pageSize: pageSizeInput(DEFAULT_SEARCH_LIMITS.maxPageSize, DEFAULT_SEARCH_LIMITS.defaultPageSize),
        cursor: cursorInput,
      }),
      output: z.object({ hits: z.array(searchHit), nextCursor }),
      annotations: READ_ONLY,
      run: async ({ caller }, input) => {
        const page = await deps.search.execute(caller, input);
        return { hits: page.items, nextCursor: page.nextCursor };
      },
    }),
  ];
}
