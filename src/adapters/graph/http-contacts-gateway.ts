import type { Contact, ContactFields, Person } from '../../domain/contacts.js';
import type { Identity } from '../../domain/identity.js';
import type { Page } from '../../domain/paging.js';
import type { ContactsGateway } from '../../ports/contacts-gateway.js';
import { decodeNextLink, encodeNextLink } from './graph-cursor.js';
import type { GraphHttpClient, GraphRequest } from './graph-http-client.js';
import { odataString, segment } from './graph-path.js';
import { listOf, obj } from './graph-values.js';
import { CONTACT_SELECT, PERSON_SELECT, contactJson, toContact, toPerson } from './normalize-contacts.js';

const CONTACTS_RESOURCE = /^\/me\/contacts$/;

export class HttpContactsGateway implements ContactsGateway {
  constructor(private readonly graph: GraphHttpClient) {}

  private call<T>(caller: Identity, req: Omit<GraphRequest, 'family'>): Promise<T> {
    return this.graph.request<T>(caller, { family: 'contacts', ...req });
  }

  async listContacts(caller: Identity, namePrefix: string | undefined, pageSize: number, cursor?: string): Promise<Page<Contact>> {
    const filter =
      namePrefix === undefined
        ? undefined
        : ['displayName', 'givenName', 'surname'].map((f) => `startswith(${f},${odataString(namePrefix)})`).join(' or ');
    const request =
      cursor !== undefined
        ? { path: decodeNextLink(cursor, this.graph.baseUrl, CONTACTS_RESOURCE) }
        : { path: '/me/contacts', query: { $top: pageSize, $select: CONTACT_SELECT, $orderby: 'displayName', $filter: filter } };
    const body = await this.call<unknown>(caller, { operation: 'contacts.list', method: 'GET', idempotent: true, ...request });
    const { items, nextLink } = listOf(body);
    const page: Page<Contact> = { items: items.map(toContact) };
    if (nextLink !== undefined) page.nextCursor = encodeNextLink(nextLink, this.graph.baseUrl);
    return page;
  }

  async getContact(caller: Identity, contactId: string): Promise<Contact> {
    const body = await this.call<unknown>(caller, { operation: 'contacts.get', method: 'GET', path: `/me/contacts/${segment(contactId)}`, query: { $select: CONTACT_SELECT }, idempotent: true });
    return toContact(obj(body));
  }

  async createContact(caller: Identity, fields: ContactFields): Promise<Contact> {
    const body = await this.call<unknown>(caller, { operation: 'contacts.create', method: 'POST', path: '/me/contacts', body: contactJson(fields), idempotent: false });
    return toContact(obj(body));
  }

  async updateContact(caller: Identity, contactId: string, fields: ContactFields): Promise<Contact> {
    const body = await this.call<unknown>(caller, { operation: 'contacts.update', method: 'PATCH', path: `/me/contacts/${segment(contactId)}`, body: contactJson(fields), idempotent: true });
    return toContact(obj(body));
  }

  async searchPeople(caller: Identity, query: string | undefined, max: number): Promise<Person[]> {
    const body = await this.call<unknown>(caller, {
      operation: 'contacts.people',
      method: 'GET',
      path: '/me/people',
      query: { $top: max, $select: PERSON_SELECT, $search: query === undefined ? undefined : `"${query}"` },
      idempotent: true,
    });
    return listOf(body).items.map(toPerson);
  }
}
