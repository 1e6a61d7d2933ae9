import type { Identity } from '../domain/identity.js';
import type { Message, MessageQuery, MessageSummary, OutgoingMail } from '../domain/mail.js';
import type { Page } from '../domain/paging.js';

/** The user's mailbox in Microsoft Graph. */
export interface MailGateway {
  listMessages(caller: Identity, query: MessageQuery, pageSize: number, cursor?: string): Promise<Page<MessageSummary>>;
  getMessage(caller: Identity, messageId: string): Promise<Message>;
  /** Graph answers 202 with no body; nothing to return. Not idempotent: never retried once sent. */
  sendMail(caller: Identity, mail: OutgoingMail): Promise<void>;
}
