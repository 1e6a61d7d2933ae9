import type { Contact } from '../contacts.js';
import { invalidInput } from '../errors.js';
import type { Identity } from '../identity.js';
import { clampPageSize, validateCursor } from '../paging.js';
import type { Page, PageRequest } from '../paging.js';
import { hasControlChars } from '../text.js';
import type { ContactsGateway } from '../../ports/contacts-gateway.js';

export const LIST_CONTACTS_LIMITS = { defaultPageSize: 25, maxPageSize: 100 } as const;

/** Lists the user's contacts by display name, optionally only names starting with a prefix. */
export class ListContacts {
  constructor(private readonly contacts: ContactsGateway) {}

  execute(caller: Identity, input: PageRequest & { query?: string }): Promise<Page<Contact>> {
    const query = input.query?.trim();
    if (query !== undefined && (query === '' || query.length > 100 || hasControlChars(query))) {
      throw invalidInput('contacts.invalidQuery', 'The query must be 1 to 100 characters: the start of a name.');
    }
    const pageSize = clampPageSize(input.pageSize, LIST_CONTACTS_LIMITS.defaultPageSize, LIST_CONTACTS_LIMITS.maxPageSize);
    return this.contacts.listContacts(caller, query, pageSize, validateCursor(input.cursor));
  }
}
