import type { ContactFields } from './contacts.js';
import { isValidEmailAddress } from './email-address.js';
import { invalidInput } from './errors.js';
import { hasControlChars, hasLoneSurrogate } from './text.js';

const TEXT_FIELDS = ['givenName', 'surname', 'displayName', 'mobilePhone', 'companyName', 'jobTitle'] as const;
export const MAX_CONTACT_EMAILS = 3;
export const MAX_CONTACT_PHONES = 2;

function text(value: string, field: string): string {
  const v = value.trim();
  if (v.length > 255 || hasControlChars(v) || hasLoneSurrogate(v)) throw invalidInput('contacts.invalidText', `${field} must be one line of at most 255 characters.`);
  return v;
}

/** Validates contact fields; `requireName` for creation (a contact needs some name or address). */
export function toContactFields(input: ContactFields, requireName: boolean): ContactFields {
  const out: ContactFields = {};
  for (const field of TEXT_FIELDS) {
    const value = input[field];
    if (value !== undefined) out[field] = text(value, field);
  }
  if (input.emails !== undefined) {
    if (input.emails.length > MAX_CONTACT_EMAILS) throw invalidInput('contacts.tooManyEmails', `A contact holds at most ${MAX_CONTACT_EMAILS} email addresses.`);
    out.emails = input.emails.map((e) => {
      const address = e.trim();
      if (!isValidEmailAddress(address)) throw invalidInput('contacts.invalidEmail', 'An email address is not valid; use plain addresses like name@example.com.');
      return address;
    });
  }
  if (input.businessPhones !== undefined) {
    if (input.businessPhones.length > MAX_CONTACT_PHONES) throw invalidInput('contacts.tooManyPhones', `At most ${MAX_CONTACT_PHONES} business phones.`);
    out.businessPhones = input.businessPhones.map((p) => text(p, 'businessPhones'));
  }
  if (Object.keys(out).length === 0) throw invalidInput('contacts.nothingToChange', 'Give at least one field to set.');
  if (requireName && !out.givenName && !out.surname && !out.displayName && !out.emails?.length) {
    throw invalidInput('contacts.missingName', 'A new contact needs a name or an email address.');
  }
  return out;
}
