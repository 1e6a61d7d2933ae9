import type { EmailAddress, Message, MessageSummary } from '../../domain/mail.js';
import { FLAG_STATUSES, type FlagStatus } from '../../domain/mailbox.js';
import { toAttachmentInfo } from './normalize-mailbox.js';
import { htmlToText, tidyText } from '../../domain/text.js';
import { arr, bool, isoDate, obj, plain, requireId, str } from './graph-values.js';
import type { Json } from './graph-values.js';

export const MESSAGE_SUMMARY_SELECT = [
  'id',
  'subject',
  'from',
  'receivedDateTime',
  'isRead',
  'hasAttachments',
  'importance',
  'bodyPreview',
  'webLink',
  'conversationId',
  'flag',
].join(',');

/** Attachment metadata rides along with a message: no second call, no bytes. */
export const ATTACHMENTS_EXPAND = 'attachments($select=id,name,contentType,size,isInline)';

export const MESSAGE_SELECT = `${MESSAGE_SUMMARY_SELECT},toRecipients,ccRecipients,bccRecipients,sentDateTime,body,parentFolderId`;

/** `{ emailAddress: { name, address } }` → EmailAddress; undefined without an address. */
export function toEmailAddress(recipient: unknown): EmailAddress | undefined {
  const e = obj(obj(recipient).emailAddress);
  const address = str(e.address);
  if (address === undefined || address === '') return undefined;
  const name = str(e.name);
  return name === undefined || name === '' ? { address } : { name: plain(name), address };
}

function recipients(value: unknown): EmailAddress[] {
  return arr(value)
    .map(toEmailAddress)
    .filter((e): e is EmailAddress => e !== undefined);
}

function importance(value: unknown): MessageSummary['importance'] {
  return value === 'low' || value === 'high' ? value : 'normal';
}

export function toMessageSummary(raw: Json): MessageSummary {
  const summary: MessageSummary = {
    id: requireId(raw),
    subject: plain(raw.subject),
    receivedAt: isoDate(raw.receivedDateTime) ?? '',
    isRead: bool(raw.isRead),
    hasAttachments: bool(raw.hasAttachments),
    importance: importance(raw.importance),
    preview: plain(raw.bodyPreview),
  };
  const from = toEmailAddress(raw.from);
  if (from !== undefined) summary.from = from;
  const webLink = str(raw.webLink);
  if (webLink !== undefined) summary.webLink = webLink;
  const conversationId = str(raw.conversationId);
  if (conversationId !== undefined) summary.conversationId = conversationId;
  const flag = str(obj(raw.flag).flagStatus);
  if (flag !== undefined && (FLAG_STATUSES as readonly string[]).includes(flag)) summary.flag = flag as FlagStatus;
  return summary;
}

/** A full message; the body arrives as text (Prefer header) but HTML is converted if Graph ignores it. */
export function toMessage(raw: Json): Message {
  const body = obj(raw.body);
  const content = str(body.content) ?? '';
  const text = String(body.contentType).toLowerCase() === 'html' ? htmlToText(content) : tidyText(content);
  const message: Message = {
    ...toMessageSummary(raw),
    to: recipients(raw.toRecipients),
    cc: recipients(raw.ccRecipients),
    bcc: recipients(raw.bccRecipients),
    body: text,
    bodyTruncated: false,
  };
  const sentAt = isoDate(raw.sentDateTime);
  if (sentAt !== undefined) message.sentAt = sentAt;
  const folderId = str(raw.parentFolderId);
  if (folderId !== undefined) message.folderId = folderId;
  if (Array.isArray(raw.attachments)) message.attachments = raw.attachments.map((a) => toAttachmentInfo(obj(a)));
  return message;
}
