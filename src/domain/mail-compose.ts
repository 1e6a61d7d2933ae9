import { parseRecipient, type RecipientInput } from './email-address.js';
import { invalidInput, payloadTooLarge } from './errors.js';
import type { EmailAddress } from './mail.js';
import type { AttachmentInput, OutgoingAttachment } from './mailbox.js';
import { hasBidiControls, hasControlChars, hasLoneSurrogate, utf8Length } from './text.js';

/** Validation shared by everything that composes mail: send, drafts, reply, forward. */

export interface ComposeLimits {
  /** Exchange Online's default limit of recipients per message. */
  maxRecipients: number;
  maxSubjectChars: number;
  /** UTF-8 bytes of the body; Graph's JSON request limit is 4 MB. */
  maxBodyBytes: number;
  /** Decoded bytes of all attachments of one request: Graph takes up to 3 MB inline, more needs an upload session. */
  maxAttachmentBytes: number;
  maxAttachments: number;
}

export const DEFAULT_COMPOSE_LIMITS: ComposeLimits = {
  maxRecipients: 500,
  maxSubjectChars: 998,
  maxBodyBytes: 3_000_000,
  maxAttachmentBytes: 3 * 1024 * 1024,
  maxAttachments: 20,
};

export function validateSubject(value: unknown, limits: ComposeLimits): string {
  if (typeof value !== 'string') throw invalidInput('mail.invalidSubject', 'The subject must be a string.');
  // CR/LF in a subject is the classic header-injection vector; no control character belongs there.
  if (hasControlChars(value) || hasLoneSurrogate(value)) {
    throw invalidInput('mail.invalidSubject', 'The subject must be one line without control characters (no line breaks or tabs).');
  }
  if (value.length > limits.maxSubjectChars) {
    throw invalidInput('mail.invalidSubject', `The subject may have at most ${limits.maxSubjectChars} characters.`);
  }
  return value;
}

export function validateBody(value: unknown, limits: ComposeLimits): string {
  if (typeof value !== 'string') throw invalidInput('mail.invalidBody', 'The body must be a string.');
  if (value.includes('\u0000') || hasLoneSurrogate(value)) {
    throw invalidInput('mail.invalidBody', 'The body contains NUL or invalid Unicode characters.');
  }
  const bytes = utf8Length(value);
  if (bytes > limits.maxBodyBytes) {
    throw payloadTooLarge(
      'mail.bodyTooLarge',
      `The body is ${bytes} bytes; the limit is ${limits.maxBodyBytes} bytes. Shorten it, or upload the content to OneDrive and send a link.`,
    );
  }
  return value;
}

export function validateBodyType(value: unknown): 'text' | 'html' {
  if (value === undefined) return 'text';
  if (value === 'text' || value === 'html') return value;
  throw invalidInput('mail.invalidBodyType', 'bodyType must be "text" or "html".');
}

function list(value: RecipientInput[] | undefined, field: string): RecipientInput[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalidInput('mail.invalidRecipient', `"${field}" must be a list of email addresses.`);
  return value;
}

export interface Recipients {
  to: EmailAddress[];
  cc: EmailAddress[];
  bcc: EmailAddress[];
  /** Distinct addresses over the three lists. */
  unique: number;
}

/** Parses to/cc/bcc; counts before parsing so a huge list costs nothing. `required`: at least one. */
export function parseRecipients(
  input: { to?: RecipientInput[]; cc?: RecipientInput[]; bcc?: RecipientInput[] },
  limits: ComposeLimits,
  required: boolean,
): Recipients {
  const lists = { to: list(input.to, 'to'), cc: list(input.cc, 'cc'), bcc: list(input.bcc, 'bcc') };
  const given = lists.to.length + lists.cc.length + lists.bcc.length;
  if (required && given === 0) throw invalidInput('mail.noRecipients', 'Give at least one recipient in "to", "cc" or "bcc".');
  if (given > limits.maxRecipients) {
    throw invalidInput(
      'mail.tooManyRecipients',
      `A message may have at most ${limits.maxRecipients} recipients; this one has ${given}. Split the recipients over several messages.`,
    );
  }
  const to = lists.to.map((r) => parseRecipient(r, 'to'));
  const cc = lists.cc.map((r) => parseRecipient(r, 'cc'));
  const bcc = lists.bcc.map((r) => parseRecipient(r, 'bcc'));
  const unique = new Set([...to, ...cc, ...bcc].map((r) => r.address.toLowerCase())).size;
  return { to, cc, bcc, unique };
}

const MIME_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/i;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decoded size of padded base64 text. */
export function base64Bytes(value: string): number {
  const padding = value.endsWith('==') ? 2 : value.endsWith('=') ? 1 : 0;
  return (value.length / 4) * 3 - padding;
}

/** An attachment's file name, trimmed: 1-255 characters without slashes, control or bidirectional characters. */
export function validateAttachmentName(value: unknown): string {
  const name = typeof value === 'string' ? value.trim() : '';
  if (name === '' || name.length > 255 || hasControlChars(name) || hasLoneSurrogate(name) || hasBidiControls(name) || /[\\/]/.test(name)) {
    throw invalidInput('mail.invalidAttachment', 'An attachment name must be 1-255 characters, without slashes, control or bidirectional characters.');
  }
  return name;
}

/** An attachment's MIME type; application/octet-stream when not given. */
export function validateAttachmentType(value: string | undefined, name: string): string {
  const contentType = value ?? 'application/octet-stream';
  if (!MIME_TYPE.test(contentType)) throw invalidInput('mail.invalidAttachment', `The content type of "${name}" is not a MIME type like application/pdf.`);
  return contentType;
}

/** Checks names, types, encoding and the total size of attachments sent inline with a message. */
export function validateAttachments(value: AttachmentInput[] | undefined, limits: ComposeLimits): OutgoingAttachment[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalidInput('mail.invalidAttachment', 'attachments must be a list.');
  if (value.length > limits.maxAttachments) {
    throw invalidInput('mail.tooManyAttachments', `A message may carry at most ${limits.maxAttachments} attachments here.`);
  }
  let total = 0;
  const out: OutgoingAttachment[] = [];
  for (const a of value) {
    const name = validateAttachmentName(a?.name);
    const contentType = validateAttachmentType(a.contentType, name);
    if (typeof a.contentBase64 !== 'string' || a.contentBase64.length % 4 !== 0 || !BASE64.test(a.contentBase64)) {
      throw invalidInput('mail.invalidAttachment', `The content of "${name}" is not valid base64 (standard alphabet, padded).`);
    }
    total += base64Bytes(a.contentBase64);
    if (total > limits.maxAttachmentBytes) {
      throw payloadTooLarge(
        'mail.attachmentsTooLarge',
        `Attachments may total at most ${limits.maxAttachmentBytes} bytes per request. Attach bigger files one by one to a draft with mail_attachment_upload_start, or share a OneDrive link (files_share).`,
      );
    }
    out.push({ name, contentType, contentBase64: a.contentBase64 });
  }
  return out;
}
