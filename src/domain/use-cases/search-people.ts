import type { Person } from '../contacts.js';
import { invalidInput } from '../errors.js';
import type { Identity } from '../identity.js';
import { clampPageSize } from '../paging.js';
import { hasControlChars } from '../text.js';
import type { ContactsGateway } from '../../ports/contacts-gateway.js';

export const SEARCH_PEOPLE_LIMITS = { defaultMax: 10, max: 50 } as const;

/** People relevant to the user (colleagues, frequent correspondents), optionally matching a name. */
export class SearchPeople {
  constructor(private readonly contacts: ContactsGateway) {}

  execute(caller: Identity, input: { query?: string; max?: number }): Promise<Person[]> {
    const query = input.query?.trim();
    if (query !== undefined && (query === '' || query.length > 100 || hasControlChars(query) || query.includes('"'))) {
      throw invalidInput('contacts.invalidQuery', 'The query must be 1 to 100 characters of a name or address, without quotes.');
    }
    return this.contacts.searchPeople(caller, query, clampPageSize(input.max, SEARCH_PEOPLE_LIMITS.defaultMax, SEARCH_PEOPLE_LIMITS.max));
  }
}
