import type { Identity } from '../../domain/identity.js';
import type { MessageSummary } from '../../domain/mail.js';
import type { AttachmentContent, AttachmentInfo, DraftContent, ForwardRequest, MailFolder, MessageChanges, ReplyRequest } from '../../domain/mailbox.js';
import type { Page } from '../../domain/paging.js';
import type { MailboxGateway } from '../../ports/mailbox-gateway.js';
import { decodeNextLink, encodeNextLink } from './graph-cursor.js';
import type { GraphHttpClient, GraphRequest } from './graph-http-client.js';
import { segment } from './graph-path.js';
import { listOf, obj } from './graph-values.js';
import { MESSAGE_SUMMARY_SELECT, toMessageSummary } from './normalize-mail.js';
import { MAIL_FOLDER_SELECT, draftJson, fileAttachment, recipientsJson, toAttachmentContent, toAttachmentInfo, toMailFolder } from './normalize-mailbox.js';

const FOLDERS_RESOURCE = /^\/me\/(mailFolders|mailFolders\/[^/]+\/childFolders)$/;
const MESSAGES_RESOURCE = /^\/me\/messages$/;

type Call = Omit<GraphRequest, 'family'>;

/** `$search` terms go in double quotes; a quote inside would end the phrase early. */
function searchPhrase(query: string): string {
  return `"${query.replace(/["\\]/g, ' ')}"`;
}

export class HttpMailboxGateway implements MailboxGateway {
  constructor(private readonly graph: GraphHttpClient) {}

  private call<T>(caller: Identity, req: Call): Promise<T> {
    return this.graph.request<T>(caller, { family: 'mail', ...req });
  }

  private page<T>(body: unknown, map: (raw: Record<string, unknown>) => T): Page<T> {
    const { items, nextLink } = listOf(body);
    const page: Page<T> = { items: items.map(map) };
    if (nextLink !== undefined) page.nextCursor = encodeNextLink(nextLink, this.graph.baseUrl);
    return page;
  }

  async listFolders(caller: Identity, parentFolderId: string | undefined, pageSize: number, cursor?: string): Promise<Page<MailFolder>> {
    const request =
      cursor !== undefined
        ? { path: decodeNextLink(cursor, this.graph.baseUrl, FOLDERS_RESOURCE) }
        : {
            path: parentFolderId === undefined ? '/me/mailFolders' : `/me/mailFolders/${segment(parentFolderId)}/childFolders`,
            query: { $top: pageSize, $select: MAIL_FOLDER_SELECT },
          };
    const body = await this.call<unknown>(caller, { operation: 'mail.listFolders', method: 'GET', idempotent: true, ...request });
    return this.page(body, toMailFolder);
  }

  async searchMessages(caller: Identity, query: string, pageSize: number, cursor?: string): Promise<Page<MessageSummary>> {
    // Graph refuses $orderby and $filter next to $search on messages: results come by relevance.
    const request =
      cursor !== undefined
        ? { path: decodeNextLink(cursor, this.graph.baseUrl, MESSAGES_RESOURCE) }
        : { path: '/me/messages', query: { $search: searchPhrase(query), $top: pageSize, $select: MESSAGE_SUMMARY_SELECT } };
    const body = await this.call<unknown>(caller, { operation: 'mail.searchMessages', method: 'GET', idempotent: true, ...request });
    return this.page(body, toMessageSummary);
  }

  private attachmentPath(messageId: string, attachmentId: string): string {
    return `/me/messages/${segment(messageId)}/attachments/${segment(attachmentId)}`;
  }

  async getAttachmentInfo(caller: Identity, messageId: string, attachmentId: string): Promise<AttachmentInfo> {
    const body = await this.call<unknown>(caller, {
      operation: 'mail.getAttachmentInfo',
      method: 'GET',
      path: this.attachmentPath(messageId, attachmentId),
      query: { $select: 'id,name,contentType,size,isInline' },
      idempotent: true,
    });
    return toAttachmentInfo(obj(body));
  }

  async getAttachment(caller: Identity, messageId: string, attachmentId: string): Promise<AttachmentContent> {
    const body = await this.call<unknown>(caller, { operation: 'mail.getAttachment', method: 'GET', path: this.attachmentPath(messageId, attachmentId), idempotent: true });
    return toAttachmentContent(obj(body));
  }

  async isDraft(caller: Identity, messageId: string): Promise<boolean> {
    const body = obj(
      await this.call<unknown>(caller, { operation: 'mail.getDraftState', method: 'GET', path: `/me/messages/${segment(messageId)}`, query: { $select: 'isDraft' }, idempotent: true }),
    );
    return body.isDraft === true;
  }

  async createDraft(caller: Identity, draft: DraftContent): Promise<MessageSummary> {
    const body = await this.call<unknown>(caller, {
      operation: 'mail.createDraft',
      method: 'POST',
      path: '/me/messages',
      body: { ...draftJson(draft), ...(draft.attachments ? { attachments: draft.attachments.map(fileAttachment) } : {}) },
      idempotent: false,
    });
    return toMessageSummary(obj(body));
  }

  async updateDraft(caller: Identity, messageId: string, changes: DraftContent): Promise<MessageSummary> {
    const path = `/me/messages/${segment(messageId)}`;
    // PATCH cannot carry attachments; each one is added with its own POST, before the PATCH answers.
    for (const attachment of changes.attachments ?? []) {
      await this.call<unknown>(caller, { operation: 'mail.addAttachment', method: 'POST', path: `${path}/attachments`, body: fileAttachment(attachment), idempotent: false });
    }
    const fields = draftJson(changes);
    const body =
      Object.keys(fields).length > 0
        ? await this.call<unknown>(caller, { operation: 'mail.updateDraft', method: 'PATCH', path, body: fields, idempotent: true })
        : await this.call<unknown>(caller, { operation: 'mail.getDraft', method: 'GET', path, query: { $select: MESSAGE_SUMMARY_SELECT }, idempotent: true });
    return toMessageSummary(obj(body));
  }

  async sendDraft(caller: Identity, messageId: string): Promise<void> {
    await this.call<void>(caller, { operation: 'mail.sendDraft', method: 'POST', path: `/me/messages/${segment(messageId)}/send`, idempotent: false, expect: 'none' });
  }

  async reply(caller: Identity, request: ReplyRequest): Promise<void> {
    await this.call<void>(caller, {
      operation: request.replyAll ? 'mail.replyAll' : 'mail.reply',
      method: 'POST',
      path: `/me/messages/${segment(request.messageId)}/${request.replyAll ? 'replyAll' : 'reply'}`,
      body: { comment: request.comment },
      idempotent: false,
      expect: 'none',
    });
  }

  async forward(caller: Identity, request: ForwardRequest): Promise<void> {
    await this.call<void>(caller, {
      operation: 'mail.forward',
      method: 'POST',
      path: `/me/messages/${segment(request.messageId)}/forward`,
      body: { comment: request.comment, toRecipients: recipientsJson(request.to) },
      idempotent: false,
      expect: 'none',
    });
  }

  async move(caller: Identity, messageId: string, destinationFolder: string): Promise<MessageSummary> {
    const body = await this.call<unknown>(caller, {
      operation: 'mail.move',
      method: 'POST',
      path: `/me/messages/${segment(messageId)}/move`,
      body: { destinationId: destinationFolder },
      // A retried move of an already-moved message fails with not_found rather than moving twice.
      idempotent: true,
    });
    return toMessageSummary(obj(body));
  }

  async update(caller: Identity, messageId: string, changes: MessageChanges): Promise<MessageSummary> {
    const patch: Record<string, unknown> = {};
    if (changes.isRead !== undefined) patch.isRead = changes.isRead;
    if (changes.flag !== undefined) patch.flag = { flagStatus: changes.flag };
    if (changes.importance !== undefined) patch.importance = changes.importance;
    const body = await this.call<unknown>(caller, { operation: 'mail.update', method: 'PATCH', path: `/me/messages/${segment(messageId)}`, body: patch, idempotent: true });
    return toMessageSummary(obj(body));
  }
}
