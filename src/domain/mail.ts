import type { AttachmentInfo, FlagStatus, OutgoingAttachment } from './mailbox.js';

export interface EmailAddress {
  name?: string;
  address: string;
}

/** A compact message for lists: what an assistant needs to pick one. */
export interface MessageSummary {
  id: string;
  subject: string;
  from?: EmailAddress;
  receivedAt: string;
  isRead: boolean;
  hasAttachments: boolean;
  importance: 'low' | 'normal' | 'high';
  /** Plain-text preview (Graph's bodyPreview), at most ~255 characters. */
  preview: string;
  webLink?: string;
  conversationId?: string;
  flag?: FlagStatus;
}

export interface Message extends MessageSummary {
  to: EmailAddress[];
  cc: EmailAddress[];
  bcc: EmailAddress[];
  sentAt?: string;
  /** Plain text; HTML bodies are converted. Truncated to the configured cap. */
  body: string;
  bodyTruncated: boolean;
  folderId?: string;
  /** Present when the message has attachments: what mail_get_attachment can fetch. */
  attachments?: AttachmentInfo[];
}

export interface OutgoingMail {
  subject: string;
  body: string;
  bodyType: 'text' | 'html';
  to: EmailAddress[];
  cc: EmailAddress[];
  bcc: EmailAddress[];
  saveToSentItems: boolean;
  attachments?: OutgoingAttachment[];
}

export interface MessageQuery {
  /** Well-known folder name (inbox, sentitems, drafts, ...) or a folder id. */
  folder?: string;
  unreadOnly?: boolean;
  from?: string;
  receivedAfter?: string;
  receivedBefore?: string;
  hasAttachments?: boolean;
}
