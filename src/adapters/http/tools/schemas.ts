import type { FolderRef } from '../../../domain/files.js';
import { z } from 'zod';

/** Output and input building blocks shared by the tool families. Field names mirror src/domain. */

export const emailAddress = z.object({ name: z.string().optional(), address: z.string() });

// Opaque: length and shape are checked where it is decoded (validateCursor, graph-cursor), not listed.
export const cursorInput = z
  .string()
  .optional()
  .describe('From nextCursor.');

/** The cap shows as the schema's `maximum`; the description adds the default. */
export const pageSizeInput = (max: number, fallback: number) =>
  z.number().int().min(1).max(max).optional().describe(`Default ${fallback}.`);

/** Self-explanatory next to `cursor`; the server instructions say how paging works. */
export const nextCursor = z.string().optional();

/** Explained once, in the server instructions: a retry with the same key returns the first result. */
export const idempotencyKeyInput = z
  .string()
  .min(8)
  .max(128)
  .regex(/^[A-Za-z0-9._:-]+$/)
  .optional();

export const messageSummary = z.object({
  id: z.string(),
  subject: z.string(),
  from: emailAddress.optional(),
  receivedAt: z.string(),
  isRead: z.boolean(),
  hasAttachments: z.boolean(),
  importance: z.enum(['low', 'normal', 'high']),
  preview: z.string(),
  webLink: z.string().optional(),
  conversationId: z.string().optional(),
  flag: z.enum(['notFlagged', 'flagged', 'complete']).optional(),
});

/** What a mail write tool returns: enough to confirm the change and keep working with the id. */
export const messageRef = messageSummary.pick({ id: true, subject: true, isRead: true, importance: true, flag: true });

export const attachmentInfo = z.object({
  id: z.string(),
  name: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  isInline: z.boolean(),
  kind: z.enum(['file', 'item', 'reference']),
});

export const attachmentsInput = z
  .array(
    z.object({
      name: z.string().min(1).max(255),
      contentType: z.string().max(255).optional().describe('MIME type; default application/octet-stream.'),
      contentBase64: z.string().describe('File bytes, base64.'),
    }),
  )
  .max(20)
  .optional()
  .describe('Files to attach; total capped (3 MiB by default). Bigger files: mail_attachment_upload_start on a draft.');

export const message = messageSummary.extend({
  to: z.array(emailAddress),
  cc: z.array(emailAddress),
  bcc: z.array(emailAddress),
  sentAt: z.string().optional(),
  body: z.string(),
  bodyTruncated: z.boolean(),
  folderId: z.string().optional(),
  attachments: z.array(attachmentInfo).optional(),
});

export const calendarEvent = z.object({
  id: z.string(),
  subject: z.string(),
  start: z.string(),
  end: z.string(),
  timeZone: z.string(),
  isAllDay: z.boolean(),
  location: z.string().optional(),
  organizer: emailAddress.optional(),
  attendees: z.array(
    emailAddress.extend({
      type: z.enum(['required', 'optional', 'resource']),
      response: z.enum(['none', 'organizer', 'accepted', 'tentativelyAccepted', 'declined', 'notResponded']),
    }),
  ),
  isOnlineMeeting: z.boolean(),
  onlineMeetingUrl: z.string().optional(),
  showAs: z.string(),
  isCancelled: z.boolean(),
  preview: z.string(),
  webLink: z.string().optional(),
});

export const driveItem = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['file', 'folder']),
  size: z.number(),
  childCount: z.number().optional(),
  mimeType: z.string().optional(),
  createdAt: z.string().optional(),
  modifiedAt: z.string(),
  parentPath: z.string().optional(),
  webUrl: z.string().optional(),
  driveId: z.string().optional(),
});

export const searchEntity = z.enum(['message', 'event', 'driveItem', 'listItem']);

export const searchHit = z.object({
  entity: searchEntity,
  id: z.string(),
  title: z.string(),
  summary: z.string(),
  rank: z.number(),
  from: z.string().optional(),
  date: z.string().optional(),
  webUrl: z.string().optional(),
  size: z.number().optional(),
});

/** A folder as one string, cheaper in the catalogue than a union: a path starts with "/", anything else is an id. */
export const folderInput = z.string().min(1).max(400);

export function toFolderRef(value: string): FolderRef {
  return value.startsWith('/') ? { path: value } : { itemId: value };
}
