import { invalidInput, payloadTooLarge } from '../errors.js';
import { requireGraphId } from '../graph-id.js';
import type { Identity } from '../identity.js';
import type { AttachmentContent } from '../mailbox.js';
import type { DownloadLinks } from '../../ports/download-links.js';
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

/** Fetches a file attachment: small ones as base64, big ones as a download link. Checks its size before fetching any byte. */
export class GetAttachment {
  private readonly limits: GetAttachmentLimits;

  constructor(
    private readonly mailbox: MailboxGateway,
    limits: Partial<GetAttachmentLimits> = {},
    /** When given, attachments over the inline cap get a download link instead of an error. */
    private readonly links?: DownloadLinks,
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
      if (this.links === undefined) {
        throw payloadTooLarge(
          'mail.attachmentTooLarge',
          `"${info.name}" is ${info.size} bytes; attachments up to ${this.limits.maxInlineBytes} bytes are returned inline. Open the message in Outlook (webLink from mail_get_message) to download it.`,
        );
      }
      const link = await this.links.issue(caller, { kind: 'attachment', messageId, attachmentId });
      return { ...info, contentBase64: '', downloadUrl: link.url, expiresAt: link.expiresAt };
    }
    return this.mailbox.getAttachment(caller, messageId, attachmentId);
  }
}
