import type { EmailAddress, MessageSummary } from './mail.js';

/** Mailbox organization beyond reading and sending: folders, attachments, drafts, triage. */

export interface MailFolder {
  id: string;
  name: string;
  parentFolderId?: string;
  unreadCount: number;
  totalCount: number;
  childFolderCount: number;
}

export interface AttachmentInfo {
  id: string;
  name: string;
  contentType: string;
  size: number;
  isInline: boolean;
  /** `file` has bytes; `item` is an attached Outlook item; `reference` is a link to a cloud file. */
  kind: 'file' | 'item' | 'reference';
}

export interface AttachmentContent extends AttachmentInfo {
  /** The bytes as base64; empty when the attachment comes as a download link. */
  contentBase64: string;
  /** For attachments over the inline cap: a short-lived link on this gateway, for the same user's bearer token. */
  downloadUrl?: string;
  /** ISO instant the link stops working. */
  expiresAt?: string;
}

/** A file to attach to an outgoing message; bytes travel as base64 as Graph takes them. */
export interface OutgoingAttachment {
  name: string;
  contentType: string;
  contentBase64: string;
}

/** What a caller passes for an attachment; the content type defaults to application/octet-stream. */
export interface AttachmentInput {
  name: string;
  contentType?: string;
  contentBase64: string;
}

export const FLAG_STATUSES = ['notFlagged', 'flagged', 'complete'] as const;
export type FlagStatus = (typeof FLAG_STATUSES)[number];

export interface MessageChanges {
  isRead?: boolean;
  flag?: FlagStatus;
  importance?: MessageSummary['importance'];
}

/** Fields of a draft; on update only the given ones change. */
export interface DraftContent {
  subject?: string;
  body?: string;
  bodyType?: 'text' | 'html';
  to?: EmailAddress[];
  cc?: EmailAddress[];
  bcc?: EmailAddress[];
  importance?: MessageSummary['importance'];
  attachments?: OutgoingAttachment[];
}

export interface ReplyRequest {
  messageId: string;
  comment: string;
  replyAll: boolean;
}

export interface ForwardRequest {
  messageId: string;
  comment: string;
  to: EmailAddress[];
}
