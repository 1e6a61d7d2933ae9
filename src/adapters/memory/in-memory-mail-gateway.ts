import { notFound } from '../../domain/errors.js';
import type { Identity } from '../../domain/identity.js';
import { userKey } from '../../domain/identity.js';
import type { Message, MessageQuery, MessageSummary, OutgoingMail } from '../../domain/mail.js';
import type { Page } from '../../domain/paging.js';
import type { MailGateway } from '../../ports/mail-gateway.js';
import { pageOf } from './in-memory-paging.js';

export interface SentMail {
  user: string;
  mail: OutgoingMail;
}

/** A mailbox per user, in memory. Messages without a folderId live in the inbox. */
export class InMemoryMailGateway implements MailGateway {
  private readonly boxes = new Map<string, Message[]>();
  readonly sent: SentMail[] = [];

  add(owner: Pick<Identity, 'tenantId' | 'objectId'>, ...messages: Message[]): void {
    const key = userKey(owner);
    this.boxes.set(key, [...(this.boxes.get(key) ?? []), ...messages]);
  }

  async listMessages(caller: Identity, query: MessageQuery, pageSize: number, cursor?: string): Promise<Page<MessageSummary>> {
    const box = this.boxes.get(userKey(caller)) ?? [];
    return pageOf(query, pageSize, cursor, (q) =>
      box
        .filter((m) => matches(m, q))
        .sort((a, b) => Date.parse(b.receivedAt) - Date.parse(a.receivedAt))
        .map(summary),
    );
  }

  async getMessage(caller: Identity, messageId: string): Promise<Message> {
    const message = (this.boxes.get(userKey(caller)) ?? []).find((m) => m.id === messageId);
    if (message === undefined) throw notFound('graph.itemNotFound', 'The message was not found. List messages again to get a current id.');
    return { ...message };
  }

  async sendMail(caller: Identity, mail: OutgoingMail): Promise<void> {
    this.sent.push({ user: userKey(caller), mail });
  }
}

function matches(m: Message, q: MessageQuery): boolean {
  const folder = (m.folderId ?? 'inbox').toLowerCase();
  if (q.folder !== undefined && q.folder.toLowerCase() !== folder) return false;
  if (q.unreadOnly === true && m.isRead) return false;
  if (q.hasAttachments !== undefined && m.hasAttachments !== q.hasAttachments) return false;
  if (q.from !== undefined && m.from?.address.toLowerCase() !== q.from.toLowerCase()) return false;
  const at = Date.parse(m.receivedAt);
  if (q.receivedAfter !== undefined && at < Date.parse(q.receivedAfter)) return false;
  if (q.receivedBefore !== undefined && at >= Date.parse(q.receivedBefore)) return false;
  return true;
}

function summary(m: Message): MessageSummary {
  const { id, subject, from, receivedAt, isRead, hasAttachments, importance, preview, webLink, conversationId } = m;
  const s: MessageSummary = { id, subject, receivedAt, isRead, hasAttachments, importance, preview };
  if (from !== undefined) s.from = from;
  if (webLink !== undefined) s.webLink = webLink;
  if (conversationId !== undefined) s.conversationId = conversationId;
  return s;
}
