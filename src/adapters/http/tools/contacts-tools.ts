import { z } from 'zod';
import type { Contact } from '../../../domain/contacts.js';
import type { CreateContact } from '../../../domain/use-cases/create-contact.js';
import type { GetContact } from '../../../domain/use-cases/get-contact.js';
import { LIST_CONTACTS_LIMITS, type ListContacts } from '../../../domain/use-cases/list-contacts.js';
import { SEARCH_PEOPLE_LIMITS, type SearchPeople } from '../../../domain/use-cases/search-people.js';
import type { UpdateContact } from '../../../domain/use-cases/update-contact.js';
import { CREATES, READ_ONLY, UPDATES, defineTool, type ToolDefinition } from './tool-definition.js';
import { cursorInput, idempotencyKeyInput, nextCursor, pageSizeInput } from './schemas.js';

export interface ContactsToolDeps {
  listContacts: ListContacts;
  getContact: GetContact;
  createContact: CreateContact;
  updateContact: UpdateContact;
  searchPeople: SearchPeople;
}

const line = z.string().max(255);
const fields = {
  givenName: line.optional(),
  surname: line.optional(),
  displayName: line.optional(),
  emails: z.array(z.email().max(254)).max(3).optional().describe('Up to 3; replaces the list.'),
  mobilePhone: line.optional(),
  businessPhones: z.array(line).max(2).optional(),
  companyName: line.optional(),
  jobTitle: line.optional(),
};
const contact = z.object({
  id: z.string(),
  displayName: z.string(),
  emails: z.array(z.string()),
  mobilePhone: z.string().optional(),
  businessPhones: z.array(z.string()),
  companyName: z.string().optional(),
  jobTitle: z.string().optional(),
});
const contactId = z.string().min(1).max(512);
const out = ({ givenName: _g, surname: _s, ...c }: Contact): z.input<typeof contact> => c;

export function contactsTools(deps: ContactsToolDeps): ToolDefinition[] {
  return [
    defineTool({
      name: 'contacts_list',
      family: 'contacts',
      title: 'List contacts',
      description: 'Your Outlook contacts by name; query keeps names starting with it. Colleagues not in contacts: contacts_people.',
      input: z.object({ query: z.string().min(1).max(100).optional(), pageSize: pageSizeInput(LIST_CONTACTS_LIMITS.maxPageSize, LIST_CONTACTS_LIMITS.defaultPageSize), cursor: cursorInput }),
      output: z.object({ contacts: z.array(contact), nextCursor }),
      annotations: READ_ONLY,
      run: async ({ caller }, input) => {
        const page = await deps.listContacts.execute(caller, input);
        return { contacts: page.items.map(out), nextCursor: page.nextCursor };
      },
    }),
    defineTool({
      name: 'contacts_get',
      family: 'contacts',
      title: 'Get a contact',
      description: 'One contact by id, all fields.',
      input: z.object({ contactId }),
      output: contact,
      annotations: READ_ONLY,
      run: async ({ caller }, input) => out(await deps.getContact.execute(caller, input)),
    }),
    defineTool({
      name: 'contacts_create',
      family: 'contacts',
      title: 'Create a contact',
      description: 'Add a contact; needs a name or an email.',
      input: z.object({ ...fields, idempotency_key: idempotencyKeyInput }),
      output: contact,
      annotations: CREATES,
      run: async ({ caller }, { idempotency_key: _key, ...input }) => out(await deps.createContact.execute(caller, input)),
    }),
    defineTool({
      name: 'contacts_update',
      family: 'contacts',
      title: 'Update a contact',
      description: 'Set the given fields of a contact.',
      input: z.object({ contactId, ...fields }),
      output: contact,
      annotations: UPDATES,
      run: async ({ caller }, input) => out(await deps.updateContact.execute(caller, input)),
    }),
    defineTool({
      name: 'contacts_people',
      family: 'contacts',
      title: 'Find people',
      description: `People you work with, most relevant first (up to ${SEARCH_PEOPLE_LIMITS.max}); query matches names and addresses.`,
      input: z.object({ query: z.string().min(1).max(100).optional(), max: z.number().int().min(1).max(SEARCH_PEOPLE_LIMITS.max).optional() }),
      output: z.object({ people: z.array(z.object({ displayName: z.string(), emails: z.array(z.string()), jobTitle: z.string().optional(), companyName: z.string().optional(), department: z.string().optional() })) }),
      annotations: READ_ONLY,
      run: async ({ caller }, input) => ({ people: await deps.searchPeople.execute(caller, input) }),
    }),
  ];
}
