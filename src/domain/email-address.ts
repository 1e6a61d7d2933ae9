import { invalidInput } from './errors.js';
import type { EmailAddress } from './mail.js';
import { hasBidiControls, hasControlChars, hasLoneSurrogate } from './text.js';

/** What a caller may pass for a recipient: a bare address or `{ address, name? }`. */
export type RecipientInput = string | EmailAddress;

// A deliberately conservative addr-spec: no quoted local parts, comments or IP literals, which
// Exchange accepts rarely and attackers use often. Unicode letters are allowed (EAI / IDN).
const LOCAL_PART = /^[\p{L}\p{N}!#$%&'*+\-/=?^_`{|}~]+(\.[\p{L}\p{N}!#$%&'*+\-/=?^_`{|}~]+)*$/u;
const DOMAIN_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;

export function isValidEmailAddress(address: string): boolean {
  if (address.length > 254 || hasControlChars(address) || hasLoneSurrogate(address)) return false;
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return false;
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (local.length > 64 || !LOCAL_PART.test(local)) return false;
  const labels = domain.split('.');
  if (labels.length < 2) return false;
  return labels.every((label) => DOMAIN_LABEL.test(label));
}

/** Validates and normalizes one recipient; `field` names the input list for the message. */
export function parseRecipient(input: RecipientInput, field: string): EmailAddress {
  const raw = typeof input === 'string' ? { address: input } : input;
  const address = typeof raw.address === 'string' ? raw.address.trim() : '';
  if (!isValidEmailAddress(address)) {
    throw invalidInput(
      'mail.invalidRecipient',
      `A recipient in "${field}" is not a valid email address. Use plain addresses like name@example.com, without display names, brackets or commas.`,
    );
  }
  const name = raw.name?.trim();
  if (name !== undefined && name !== '') {
    if (name.length > 256 || hasControlChars(name) || hasLoneSurrogate(name) || hasBidiControls(name)) {
      throw invalidInput(
        'mail.invalidRecipientName',
        `A recipient name in "${field}" has control characters or is longer than 256 characters; send the address alone.`,
      );
    }
    return { address, name };
  }
  return { address };
}
