import type { Contact } from '../contacts.js';
import { requireGraphId } from '../graph-id.js';
import type { Identity } from '../identity.js';
import type { ContactsGateway } from '../../ports/contacts-gateway.js';

/** One contact by id. */
export class GetContact {
  constructor(private readonly contacts: ContactsGateway) {}

  execute(caller: Identity, input: { contactId: string }): Promise<Contact> {
    return this.contacts.getContact(caller, requireGraphId(input.contactId, 'contacts.invalidContactId', 'The contact id'));
  }
}
