import { invalidInput, payloadTooLarge } from '../errors.js';
import { requireGraphId } from '../graph-id.js';
import type { Identity } from '../identity.js';
import { validateAttachmentName, validateAttachmentType } from '../mail-compose.js';
import { newUploadId } from '../upload-access.js';
import { ATTACHMENT_UPLOAD_MAX_BYTES, ATTACHMENT_UPLOAD_MIN_BYTES, newUploadState, requireUploadSize, toUploadStatus, type UploadStatus } from '../upload-session.js';
import type { Clock } from '../../ports/clock.js';
import type { MailboxGateway } from '../../ports/mailbox-gateway.js';
import type { UploadSessionGateway } from '../../ports/upload-session-gateway.js';
import type { UploadSessionStore } from '../../ports/upload-session-store.js';

export interface StartAttachmentUploadInput {
  /** The draft to attach the file to. */
  messageId: string;
  name: string;
  size: number;
  contentType?: string;
}

export interface StartAttachmentUploadLimits {
  /** The operator's cap on any upload (UPLOAD_MAX_FILE_BYTES); Outlook's own 150 MB applies too. */
  maxFileBytes: number;
}

/**
 * Opens an Outlook attachment upload session on a draft, for a file too big to travel inline
 * (3 MB to 150 MB). The bytes then arrive like any upload's (files_upload_chunk or PUT /uploads/{id});
 * the last one attaches the file to the draft.
 */
export class StartAttachmentUpload {
  constructor(
    private readonly gateway: UploadSessionGateway,
    private readonly mailbox: MailboxGateway,
    private readonly store: UploadSessionStore,
    private readonly clock: Clock,
    private readonly limits: StartAttachmentUploadLimits,
  ) {}

  async execute(caller: Identity, input: StartAttachmentUploadInput): Promise<UploadStatus> {
    const messageId = requireGraphId(input.messageId, 'mail.invalidMessageId', 'The draft id');
    const name = validateAttachmentName(input.name);
    const contentType = validateAttachmentType(input.contentType, name);
    const size = requireUploadSize(input.size);
    if (size < ATTACHMENT_UPLOAD_MIN_BYTES) {
      throw invalidInput(
        'upload.attachmentTooSmall',
        `Outlook takes files under ${ATTACHMENT_UPLOAD_MIN_BYTES} bytes only inline: pass this one in attachments of mail_update_draft.`,
      );
    }
    const max = Math.min(ATTACHMENT_UPLOAD_MAX_BYTES, this.limits.maxFileBytes);
    if (size > max) {
      throw payloadTooLarge('upload.attachmentTooLarge', `The file is ${size} bytes; attachments may have up to ${max} bytes. Upload it to OneDrive (files_upload_start) and share a link (files_share).`);
    }
    // Outlook would also attach to a received or sent message; only the user's own drafts may change.
    if (!(await this.mailbox.isDraft(caller, messageId))) {
      throw invalidInput('mail.notADraft', 'Files can be attached only to a draft. Create one with mail_create_draft (or use mail_forward for received mail).');
    }
    const session = await this.gateway.createForAttachment(caller, messageId, { name, size, contentType });
    const state = newUploadState({ id: newUploadId(), caller, target: { kind: 'attachment', messageId, contentType }, name, size }, session, this.clock.now());
    await this.store.create(state);
    return toUploadStatus(state);
  }
}
