import { invalidInput } from '../errors.js';
import type { DriveItem } from '../files.js';
import type { Identity } from '../identity.js';
import { clampPageSize, validateCursor } from '../paging.js';
import type { Page, PageRequest } from '../paging.js';
import { hasControlChars } from '../text.js';
import type { DriveItemsGateway } from '../../ports/drive-items-gateway.js';

export const SEARCH_FILES_LIMITS = { defaultPageSize: 25, maxPageSize: 100, maxQueryLength: 200 } as const;

/** Searches the user's OneDrive by name and content keywords. */
export class SearchFiles {
  constructor(private readonly drive: DriveItemsGateway) {}

  execute(caller: Identity, input: PageRequest & { query: string }): Promise<Page<DriveItem>> {
    const query = typeof input.query === 'string' ? input.query.trim() : '';
    if (query === '' || query.length > SEARCH_FILES_LIMITS.maxQueryLength || hasControlChars(query)) {
      throw invalidInput('files.invalidQuery', `The query must be 1 to ${SEARCH_FILES_LIMITS.maxQueryLength} characters of text.`);
    }
    const pageSize = clampPageSize(input.pageSize, SEARCH_FILES_LIMITS.defaultPageSize, SEARCH_FILES_LIMITS.maxPageSize);
    return this.drive.search(caller, query, pageSize, validateCursor(input.cursor));
  }
}
