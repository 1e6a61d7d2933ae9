import { z } from 'zod';

/** Output and input building blocks shared by the tool families. Field names mirror src/domain. */

export const emailAddress = z.object({ name: z.string().optional(), address: z.string() });

export const cursorInput = z
  .string()
  .min(1)
  .max(8192)
  .optional()
  .describe('Opaque cursor from a previous page (nextCursor). Omit for the first page; filters travel inside it.');

export const pageSizeInput = (max: number, fallback: number) =>
  z.number().int().min(1).max(max).optional().describe(`Items per page (default ${fallback}, max ${max}).`);

export const nextCursor = z.string().optional().describe('Pass to the same tool as `cursor` for the next page; absent on the last page.');

export const idempotencyKeyInput = z
  .string()
  .min(8)
  .max(128)
  .regex(/^[A-Za-z0-9._:-]+$/)
  .optional()
  .describe('Optional; a retry with the same key and arguments returns the first result instead of acting twice.');

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

export const folderRefInput = z
  .union([
    z.object({ path: z.string().min(1).max(400).describe('Folder path from the drive root, e.g. "/Documents/Reports".') }),
    z.object({ itemId: z.string().min(1).max(256).describe('Folder item id from files_list.') }),
  ])
  .optional()
  .describe('Folder by path or by id; default the drive root.');
