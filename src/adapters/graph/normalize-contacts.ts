import type { Contact, ContactFields, Person } from '../../domain/contacts.js';
import { arr, obj, requireId, str } from './graph-values.js';
import type { Json } from './graph-values.js';

export const CONTACT_SELECT = 'id,displayName,givenName,surname,emailAddresses,mobilePhone,businessPhones,companyName,jobTitle';
export const PERSON_SELECT = 'displayName,scoredEmailAddresses,jobTitle,companyName,department';

const strings = (value: unknown): string[] => arr(value).map(str).filter((s): s is string => s !== undefined && s !== '');

export function toContact(raw: Json): Contact {
  const c: Contact = {
    id: requireId(raw),
    displayName: str(raw.displayName) ?? '',
    emails: arr(raw.emailAddresses).map((e) => str(obj(e).address)).filter((a): a is string => a !== undefined && a !== ''),
    businessPhones: strings(raw.businessPhones),
  };
  for (const key of ['givenName', 'surname', 'mobilePhone', 'companyName', 'jobTitle'] as const) {
    const v = str(raw[key]);
    if (v !== undefined && v !== '') c[key] = v;
  }
  return c;
}

/** Our fields → Graph's contact JSON (emails become `emailAddresses`). */
export function contactJson(fields: ContactFields): Json {
  const { emails, ...rest } = fields;
  return { ...rest, ...(emails === undefined ? {} : { emailAddresses: emails.map((address) => ({ address, name: address })) }) };
}

export function toPerson(raw: Json): Person {
  const p: Person = { displayName: str(raw.displayName) ?? '', emails: arr(raw.scoredEmailAddresses).map((e) => str(obj(e).address)).filter((a): a is string => a !== undefined) };
  for (const key of ['jobTitle', 'companyName', 'department'] as const) {
    const v = str(raw[key]);
    if (v !== undefined && v !== '') p[key] = v;
  }
  return p;
}
