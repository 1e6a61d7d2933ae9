import { toContactFields } from '../contact-fields.js';
import type { Contact, ContactFields } from '../contacts.js';
import { requireGraphId } from '../graph-id.js';
import type { Identity } from '../identity.js';
import type { ContactsGateway } from '../../ports/contacts-gateway.js';

/** Changes the given fields of a contact; a list given (emails, phones) replaces the old one. */
export class UpdateContact {
  constructor(private readonly contacts: ContactsGateway) {}

  execute(caller: Identity, input: ContactFields & { contactId: string }): Promise<Contact> {
    const { contactId, ...fields } = input;
    return this.contacts.updateContact(caller, requireGraphId(contactId, 'contacts.invalidContactId', 'The contact id'), toContactFields(fields, false));
  }
}
