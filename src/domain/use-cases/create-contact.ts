import { toContactFields } from '../contact-fields.js';
import type { Contact, ContactFields } from '../contacts.js';
import type { Identity } from '../identity.js';
import type { ContactsGateway } from '../../ports/contacts-gateway.js';

/** Adds a contact to the user's default contacts folder. */
export class CreateContact {
  constructor(private readonly contacts: ContactsGateway) {}

  execute(caller: Identity, input: ContactFields): Promise<Contact> {
    return this.contacts.createContact(caller, toContactFields(input, true));
  }
}
