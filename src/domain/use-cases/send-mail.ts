import type { RecipientInput } from '../email-address.js';
import type { Identity } from '../identity.js';
import type { OutgoingMail } from '../mail.js';
import { DEFAULT_COMPOSE_LIMITS, parseRecipients, validateAttachments, validateBody, validateBodyType, validateSubject } from '../mail-compose.js';
import type { ComposeLimits } from '../mail-compose.js';
import type { AttachmentInput } from '../mailbox.js';
import type { MailGateway } from '../../ports/mail-gateway.js';

export interface SendMailInput {
  to: RecipientInput[];
  cc?: RecipientInput[];
  bcc?: RecipientInput[];
  subject: string;
  body: string;
  bodyType?: 'text' | 'html';
  saveToSentItems?: boolean;
  attachments?: AttachmentInput[];
}

export interface SendMailResult {
  status: 'sent';
  recipients: number;
}

export type SendMailLimits = ComposeLimits;

export const DEFAULT_SEND_MAIL_LIMITS: SendMailLimits = DEFAULT_COMPOSE_LIMITS;

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
    const recipients = parseRecipients(input, this.limits, true);
    const attachments = validateAttachments(input.attachments, this.limits);
    const mail: OutgoingMail = {
      subject: validateSubject(input.subject, this.limits),
      body: validateBody(input.body, this.limits),
      bodyType: validateBodyType(input.bodyType),
      to: recipients.to,
      cc: recipients.cc,
      bcc: recipients.bcc,
      saveToSentItems: input.saveToSentItems ?? true,
      ...(attachments.length > 0 ? { attachments } : {}),
    };
    await this.mail.sendMail(caller, mail);
    return { status: 'sent', recipients: recipients.unique };
  }
}
