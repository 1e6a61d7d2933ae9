import { invalidInput, payloadTooLarge } from '../errors.js';
import { requireGraphId } from '../graph-id.js';
import type { Identity } from '../identity.js';
import type { AttachmentContent } from '../mailbox.js';
import type { MailboxGateway } from '../../ports/mailbox-gateway.js';

export interface GetAttachmentInput {
  messageId: string;
  attachmentId: string;
}

export interface GetAttachmentLimits {
  /** Largest attachment returned inline (base64) in a tool result. */
  maxInlineBytes: number;
}

export const DEFAULT_GET_ATTACHMENT_LIMITS: GetAttachmentLimits = { maxInlineBytes: 3 * 1024 * 1024 };

/** Fetches a small file attachment as base64; checks its size before fetching any byte. */
export class GetAttachment {
  private readonly limits: GetAttachmentLimits;

  constructor(
    private readonly mailbox: MailboxGateway,
    limits: Partial<GetAttachmentLimits> = {},
  ) {
    this.limits = { ...DEFAULT_GET_ATTACHMENT_LIMITS, ...limits };
  }

  async execute(caller: Identity, input: GetAttachmentInput): Promise<AttachmentContent> {
    const messageId = requireGraphId(input.messageId, 'mail.invalidMessageId', 'The message id');
    const attachmentId = requireGraphId(input.attachmentId, 'mail.invalidAttachmentId', 'The attachment id');
    const info = await this.mailbox.getAttachmentInfo(caller, messageId, attachmentId);
    if (info.kind !== 'file') {
      throw invalidInput('mail.notAFileAttachment', `"${info.name}" is an attached ${info.kind === 'item' ? 'Outlook item' : 'cloud file link'}, not a file; open the message in Outlook to see it.`);
    }
    if (info.size > this.limits.maxInlineBytes) {
      throw payloadTooLarge(
        'mail.attachmentTooLarge',
        `"${info.name}" is ${info.size} bytes; attachments up to ${this.limits.maxInlineBytes} bytes are returned inline. Open the message in Outlook (webLink from mail_get_message) to download it.`,
      );
    }
    return this.mailbox.getAttachment(caller, messageId, attachmentId);
  }
}
