import type { RecipientInput } from '../email-address.js';
import type { Identity } from '../identity.js';
import type { MessageSummary } from '../mail.js';
import { DEFAULT_COMPOSE_LIMITS, parseRecipients, validateAttachments, validateBody, validateBodyType, validateSubject } from '../mail-compose.js';
import type { ComposeLimits } from '../mail-compose.js';
import type { AttachmentInput, DraftContent } from '../mailbox.js';
import type { MailboxGateway } from '../../ports/mailbox-gateway.js';

export interface DraftInput {
  to?: RecipientInput[];
  cc?: RecipientInput[];
  bcc?: RecipientInput[];
  subject?: string;
  body?: string;
  bodyType?: 'text' | 'html';
  importance?: 'low' | 'normal' | 'high';
  attachments?: AttachmentInput[];
}

/** Validates the fields a caller gave; absent fields stay absent (an update leaves them alone). */
export function toDraftContent(input: DraftInput, limits: ComposeLimits): DraftContent {
  const draft: DraftContent = {};
  if (input.subject !== undefined) draft.subject = validateSubject(input.subject, limits);
  if (input.body !== undefined) {
    draft.body = validateBody(input.body, limits);
    draft.bodyType = validateBodyType(input.bodyType);
  }
  const recipients = parseRecipients(input, limits, false);
  if (input.to !== undefined) draft.to = recipients.to;
  if (input.cc !== undefined) draft.cc = recipients.cc;
  if (input.bcc !== undefined) draft.bcc = recipients.bcc;
  if (input.importance !== undefined) draft.importance = input.importance;
  const attachments = validateAttachments(input.attachments, limits);
  if (attachments.length > 0) draft.attachments = attachments;
  return draft;
}

/** Saves a new draft in Drafts; nothing is sent until mail_send_draft. */
export class CreateDraft {
  private readonly limits: ComposeLimits;

  constructor(
    private readonly mailbox: MailboxGateway,
    limits: Partial<ComposeLimits> = {},
  ) {
    this.limits = { ...DEFAULT_COMPOSE_LIMITS, ...limits };
  }

  execute(caller: Identity, input: DraftInput): Promise<MessageSummary> {
    return this.mailbox.createDraft(caller, toDraftContent(input, this.limits));
  }
}
