import type { Identity } from '../../domain/identity.js';
import type { Message, MessageQuery, MessageSummary, OutgoingMail } from '../../domain/mail.js';
import type { Page } from '../../domain/paging.js';
import type { MailGateway } from '../../ports/mail-gateway.js';
import { decodeNextLink, encodeNextLink } from './graph-cursor.js';
import type { GraphHttpClient } from './graph-http-client.js';
import { odataString, segment } from './graph-path.js';
import { listOf, obj } from './graph-values.js';
import { fileAttachment } from './normalize-mailbox.js';
import { ATTACHMENTS_EXPAND, MESSAGE_SELECT, MESSAGE_SUMMARY_SELECT, toMessage, toMessageSummary } from './normalize-mail.js';

const LIST_RESOURCE = /^\/me\/(messages|mailFolders\/[^/]+\/messages)$/;

/**
 * Graph refuses `$filter` + `$orderby` unless the ordered property comes first in the filter
 * ("InefficientFilter"), so every filter starts with a receivedDateTime clause.
 */
export function messageFilter(query: MessageQuery): string | undefined {
  const rest: string[] = [];
  if (query.receivedBefore !== undefined) rest.push(`receivedDateTime lt ${query.receivedBefore}`);
  if (query.unreadOnly === true) rest.push('isRead eq false');
  if (query.hasAttachments !== undefined) rest.push(`hasAttachments eq ${query.hasAttachments}`);
  if (query.from !== undefined) rest.push(`from/emailAddress/address eq ${odataString(query.from)}`);
  if (rest.length === 0 && query.receivedAfter === undefined) return undefined;
  return [`receivedDateTime ge ${query.receivedAfter ?? '1900-01-01T00:00:00Z'}`, ...rest].join(' and ');
}

export class HttpMailGateway implements MailGateway {
  constructor(private readonly graph: GraphHttpClient) {}

  async listMessages(caller: Identity, query: MessageQuery, pageSize: number, cursor?: string): Promise<Page<MessageSummary>> {
    const request =
      cursor !== undefined
        ? { path: decodeNextLink(cursor, this.graph.baseUrl, LIST_RESOURCE) }
        : {
            path: query.folder === undefined ? '/me/messages' : `/me/mailFolders/${segment(query.folder)}/messages`,
            query: { $top: pageSize, $select: MESSAGE_SUMMARY_SELECT, $filter: messageFilter(query), $orderby: 'receivedDateTime desc' },
          };
    const body = await this.graph.request<unknown>(caller, { family: 'mail', operation: 'mail.listMessages', method: 'GET', idempotent: true, ...request });
    const { items, nextLink } = listOf(body);
    const page: Page<MessageSummary> = { items: items.map(toMessageSummary) };
    if (nextLink !== undefined) page.nextCursor = encodeNextLink(nextLink, this.graph.baseUrl);
    return page;
  }

  async getMessage(caller: Identity, messageId: string): Promise<Message> {
    const body = await this.graph.request<unknown>(caller, {
      family: 'mail',
      operation: 'mail.getMessage',
      method: 'GET',
      path: `/me/messages/${segment(messageId)}`,
      query: { $select: MESSAGE_SELECT, $expand: ATTACHMENTS_EXPAND },
      headers: { prefer: 'outlook.body-content-type="text"' },
      idempotent: true,
    });
    return toMessage(obj(body));
  }

  async sendMail(caller: Identity, mail: OutgoingMail): Promise<void> {
    const recipients = (list: OutgoingMail['to']): unknown[] =>
      list.map((r) => ({ emailAddress: r.name === undefined ? { address: r.address } : { address: r.address, name: r.name } }));
    await this.graph.request<void>(caller, {
      family: 'mail',
      operation: 'mail.sendMail',
      method: 'POST',
      path: '/me/sendMail',
      body: {
        message: {
          subject: mail.subject,
          body: { contentType: mail.bodyType === 'html' ? 'HTML' : 'Text', content: mail.body },
          toRecipients: recipients(mail.to),
          ccRecipients: recipients(mail.cc),
          bccRecipients: recipients(mail.bcc),
          ...(mail.attachments !== undefined ? { attachments: mail.attachments.map(fileAttachment) } : {}),
        },
        saveToSentItems: mail.saveToSentItems,
      },
      idempotent: false,
      expect: 'none',
    });
  }
}
