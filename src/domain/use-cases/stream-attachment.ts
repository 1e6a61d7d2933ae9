import { singleByteRange } from '../byte-range.js';
import { invalidInput } from '../errors.js';
import { requireGraphId } from '../graph-id.js';
import type { Identity } from '../identity.js';
import type { AttachmentInfo } from '../mailbox.js';
import type { FileStream, FileStreamGateway, UnsatisfiableRange } from '../../ports/file-stream-gateway.js';
import type { MailboxGateway } from '../../ports/mailbox-gateway.js';

export interface StreamAttachmentInput {
  messageId: string;
  attachmentId: string;
  /** An HTTP `Range` header, passed on when it is one `bytes=a-b` range (Outlook may still send everything). */
  range?: string;
  signal?: AbortSignal;
}

/** Streams a file attachment of any size (its raw bytes, never base64) for the download endpoint. */
export class StreamAttachment {
  constructor(
    private readonly mailbox: MailboxGateway,
    private readonly streams: FileStreamGateway,
  ) {}

  async execute(caller: Identity, input: StreamAttachmentInput): Promise<{ attachment: AttachmentInfo; content: FileStream | UnsatisfiableRange }> {
    const messageId = requireGraphId(input.messageId, 'mail.invalidMessageId', 'The message id');
    const attachmentId = requireGraphId(input.attachmentId, 'mail.invalidAttachmentId', 'The attachment id');
    const attachment = await this.mailbox.getAttachmentInfo(caller, messageId, attachmentId);
    if (attachment.kind !== 'file') throw invalidInput('mail.notAFileAttachment', `"${attachment.name}" is not a file attachment; it has no bytes to download.`);
    const content = await this.streams.openAttachment(caller, messageId, attachmentId, singleByteRange(input.range), input.signal);
    return { attachment, content };
  }
}
