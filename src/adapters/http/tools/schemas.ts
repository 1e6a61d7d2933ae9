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
  .describe('Optional client-chosen key (8-128 chars). Retrying with the same key and arguments returns the first result instead of acting twice.');

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
});

export const message = messageSummary.extend({
  to: z.array(emailAddress),
  cc: z.array(emailAddress),
  bcc: z.array(emailAddress),
  sentAt: z.string().optional(),
  body: z.string(),
  bodyTruncated: z.boolean(),
  folderId: z.string().optional(),
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

export const searchHit = z.object({
  entity: z.enum(['message', 'event', 'driveItem']),
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
