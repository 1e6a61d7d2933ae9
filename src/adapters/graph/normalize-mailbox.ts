import type { EmailAddress } from '../../domain/mail.js';
import type { AttachmentContent, AttachmentInfo, DraftContent, MailFolder, OutgoingAttachment } from '../../domain/mailbox.js';
import { bool, num, plain, requireId, str } from './graph-values.js';
import type { Json } from './graph-values.js';

export const MAIL_FOLDER_SELECT = 'id,displayName,parentFolderId,childFolderCount,unreadItemCount,totalItemCount';

export function toMailFolder(raw: Json): MailFolder {
  const folder: MailFolder = {
    id: requireId(raw),
    name: plain(raw.displayName),
    unreadCount: num(raw.unreadItemCount) ?? 0,
    totalCount: num(raw.totalItemCount) ?? 0,
    childFolderCount: num(raw.childFolderCount) ?? 0,
  };
  const parent = str(raw.parentFolderId);
  if (parent !== undefined) folder.parentFolderId = parent;
  return folder;
}

const KINDS: Readonly<Record<string, AttachmentInfo['kind']>> = {
  '#microsoft.graph.fileAttachment': 'file',
  '#microsoft.graph.itemAttachment': 'item',
  '#microsoft.graph.referenceAttachment': 'reference',
};

export function toAttachmentInfo(raw: Json): AttachmentInfo {
  return {
    id: requireId(raw),
    name: plain(raw.name),
    contentType: str(raw.contentType) ?? 'application/octet-stream',
    size: num(raw.size) ?? 0,
    isInline: bool(raw.isInline),
    kind: KINDS[str(raw['@odata.type']) ?? ''] ?? 'file',
  };
}

export function toAttachmentContent(raw: Json): AttachmentContent {
  return { ...toAttachmentInfo(raw), contentBase64: str(raw.contentBytes) ?? '' };
}

/** Graph's fileAttachment body for sendMail, draft creation and POST .../attachments. */
export function fileAttachment(a: OutgoingAttachment): Json {
  return { '@odata.type': '#microsoft.graph.fileAttachment', name: a.name, contentType: a.contentType, contentBytes: a.contentBase64 };
}

export function recipientsJson(list: readonly EmailAddress[]): Json[] {
  return list.map((r) => ({ emailAddress: r.name === undefined ? { address: r.address } : { address: r.address, name: r.name } }));
}

/** A draft's fields as Graph message properties; absent fields are left out so PATCH leaves them alone. */
export function draftJson(draft: DraftContent): Json {
  const json: Json = {};
  if (draft.subject !== undefined) json.subject = draft.subject;
  if (draft.body !== undefined) json.body = { contentType: draft.bodyType === 'html' ? 'HTML' : 'Text', content: draft.body };
  if (draft.to !== undefined) json.toRecipients = recipientsJson(draft.to);
  if (draft.cc !== undefined) json.ccRecipients = recipientsJson(draft.cc);
  if (draft.bcc !== undefined) json.bccRecipients = recipientsJson(draft.bcc);
  if (draft.importance !== undefined) json.importance = draft.importance;
  return json;
}
