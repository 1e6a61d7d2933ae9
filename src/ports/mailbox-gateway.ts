import type { Identity } from '../domain/identity.js';
import type { MessageSummary } from '../domain/mail.js';
import type { AttachmentContent, AttachmentInfo, DraftContent, ForwardRequest, MailFolder, MessageChanges, ReplyRequest } from '../domain/mailbox.js';
import type { Page } from '../domain/paging.js';

/** Organizing the user's mailbox: folders, search, attachments, drafts, replies and triage. */
export interface MailboxGateway {
  listFolders(caller: Identity, parentFolderId: string | undefined, pageSize: number, cursor?: string): Promise<Page<MailFolder>>;
  /** Keyword search (`$search`), relevance order; Graph allows no filter or sort with it. */
  searchMessages(caller: Identity, query: string, pageSize: number, cursor?: string): Promise<Page<MessageSummary>>;
  getAttachmentInfo(caller: Identity, messageId: string, attachmentId: string): Promise<AttachmentInfo>;
  getAttachment(caller: Identity, messageId: string, attachmentId: string): Promise<AttachmentContent>;
  /** Whether the message is an unsent draft. */
  isDraft(caller: Identity, messageId: string): Promise<boolean>;
  createDraft(caller: Identity, draft: DraftContent): Promise<MessageSummary>;
  /** Changes the given fields; attachments are added, never replaced. */
  updateDraft(caller: Identity, messageId: string, changes: DraftContent): Promise<MessageSummary>;
  sendDraft(caller: Identity, messageId: string): Promise<void>;
  reply(caller: Identity, request: ReplyRequest): Promise<void>;
  forward(caller: Identity, request: ForwardRequest): Promise<void>;
  /** Returns the message's id in its new folder (Exchange ids change on move). */
  move(caller: Identity, messageId: string, destinationFolder: string): Promise<MessageSummary>;
  update(caller: Identity, messageId: string, changes: MessageChanges): Promise<MessageSummary>;
}
