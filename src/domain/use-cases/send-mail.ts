import { parseRecipient } from '../email-address.js';
import type { RecipientInput } from '../email-address.js';
import { invalidInput, payloadTooLarge } from '../errors.js';
import type { Identity } from '../identity.js';
import type { OutgoingMail } from '../mail.js';
import { hasControlChars, hasLoneSurrogate, utf8Length } from '../text.js';
import type { MailGateway } from '../../ports/mail-gateway.js';

export interface SendMailInput {
  to: RecipientInput[];
  cc?: RecipientInput[];
  bcc?: RecipientInput[];
  subject: string;
  body: string;
  bodyType?: 'text' | 'html';
  saveToSentItems?: boolean;
}

export interface SendMailResult {
  status: 'sent';
  recipients: number;
}

export interface SendMailLimits {
  /** Exchange Online's default limit of recipients per message. */
  maxRecipients: number;
  maxSubjectChars: number;
  /** UTF-8 bytes of the body; Graph's JSON request limit is 4 MB. */
  maxBodyBytes: number;
}

export const DEFAULT_SEND_MAIL_LIMITS: SendMailLimits = { maxRecipients: 500, maxSubjectChars: 998, maxBodyBytes: 3_000_000 };

/** Sends a message as the user. Not idempotent: the edge must guard retries with an idempotency key. */
export class SendMail {
  private readonly limits: SendMailLimits;

  constructor(
    private readonly mail: MailGateway,
    limits: Partial<SendMailLimits> = {},
  ) {
    this.limits = { ...DEFAULT_SEND_MAIL_LIMITS, ...limits };
  }

  async execute(caller: Identity, input: SendMailInput): Promise<SendMailResult> {
    const lists = { to: list(input.to, 'to'), cc: list(input.cc, 'cc'), bcc: list(input.bcc, 'bcc') };
    const given = lists.to.length + lists.cc.length + lists.bcc.length;
    if (given === 0) throw invalidInput('mail.noRecipients', 'Give at least one recipient in "to", "cc" or "bcc".');
    // Counted before parsing so a huge list costs nothing.
    if (given > this.limits.maxRecipients) {
      throw invalidInput(
        'mail.tooManyRecipients',
        `A message may have at most ${this.limits.maxRecipients} recipients; this one has ${given}. Split the recipients over several messages.`,
      );
    }
    const to = lists.to.map((r) => parseRecipient(r, 'to'));
    const cc = lists.cc.map((r) => parseRecipient(r, 'cc'));
    const bcc = lists.bcc.map((r) => parseRecipient(r, 'bcc'));
    const unique = new Set([...to, ...cc, ...bcc].map((r) => r.address.toLowerCase())).size;
    const mail: OutgoingMail = {
      subject: this.subject(input.subject),
      body: this.body(input.body),
      bodyType: bodyType(input.bodyType),
      to,
      cc,
      bcc,
      saveToSentItems: input.saveToSentItems ?? true,
    };
    await this.mail.sendMail(caller, mail);
    return { status: 'sent', recipients: unique };
  }

  private subject(value: unknown): string {
    if (typeof value !== 'string') throw invalidInput('mail.invalidSubject', 'The subject must be a string.');
    // CR/LF in a subject is the classic header-injection vector; no control character belongs there.
    if (hasControlChars(value) || hasLoneSurrogate(value)) {
      throw invalidInput('mail.invalidSubject', 'The subject must be one line without control characters (no line breaks or tabs).');
    }
    if (value.length > this.limits.maxSubjectChars) {
      throw invalidInput('mail.invalidSubject', `The subject may have at most ${this.limits.maxSubjectChars} characters.`);
    }
    return value;
  }

  private body(value: unknown): string {
    if (typeof value !== 'string') throw invalidInput('mail.invalidBody', 'The body must be a string.');
    if (value.includes('\u0000') || hasLoneSurrogate(value)) {
      throw invalidInput('mail.invalidBody', 'The body contains NUL or invalid Unicode characters.');
    }
    const bytes = utf8Length(value);
    if (bytes > this.limits.maxBodyBytes) {
      throw payloadTooLarge(
        'mail.bodyTooLarge',
        `The body is ${bytes} bytes; the limit is ${this.limits.maxBodyBytes} bytes. Shorten it, or upload the content to OneDrive and send a link.`,
      );
    }
    return value;
  }
}

function list(value: RecipientInput[] | undefined, field: string): RecipientInput[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalidInput('mail.invalidRecipient', `"${field}" must be a list of email addresses.`);
  return value;
}

function bodyType(value: unknown): 'text' | 'html' {
  if (value === undefined) return 'text';
  if (value === 'text' || value === 'html') return value;
  throw invalidInput('mail.invalidBodyType', 'bodyType must be "text" or "html".');
}
