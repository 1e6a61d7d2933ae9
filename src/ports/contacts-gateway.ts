import type { Contact, ContactFields, Person } from '../domain/contacts.js';
import type { Identity } from '../domain/identity.js';
import type { Page } from '../domain/paging.js';

/** The user's Outlook contacts and the people Graph ranks as relevant to them. */
export interface ContactsGateway {
  /** `namePrefix`: names (given, surname, display) starting with it. */
  listContacts(caller: Identity, namePrefix: string | undefined, pageSize: number, cursor?: string): Promise<Page<Contact>>;
  getContact(caller: Identity, contactId: string): Promise<Contact>;
  createContact(caller: Identity, fields: ContactFields): Promise<Contact>;
  updateContact(caller: Identity, contactId: string, fields: ContactFields): Promise<Contact>;
  searchPeople(caller: Identity, query: string | undefined, max: number): Promise<Person[]>;
}
