import { htmlToText, previewOf } from './content.js';
import { isoSeconds } from './odata.js';
import type {
  Drive,
  DriveNode,
  EmailAddress,
  Mailbox,
  StoredEvent,
  StoredMessage,
} from './sandbox-tenant.js';
import { wallClock } from './time-zones.js';

/** Stored items rendered in Graph's JSON shapes. */

const recipient = (e: EmailAddress): { emailAddress: EmailAddress } => ({
  emailAddress: { name: e.name, address: e.address },
});

export function messageJson(
  m: StoredMessage,
  mailbox: Mailbox,
  bodyAsText: boolean,
  webBase: string,
): Record<string, unknown> {
  return {
    id: m.id,
    createdDateTime: isoSeconds(m.receivedMs),
    lastModifiedDateTime: isoSeconds(m.receivedMs),
    receivedDateTime: isoSeconds(m.receivedMs),
    sentDateTime: isoSeconds(m.sentMs),
    hasAttachments: m.hasAttachments,
    subject: m.subject,
    bodyPreview: previewOf(m.bodyHtml),
    importance: m.importance,
    parentFolderId: mailbox.folderId(m.folder),
    conversationId: m.conversationId,
    isRead: m.isRead,
    isDraft: m.folder === 'drafts',
    flag: { flagStatus: m.flag ?? 'notFlagged' },
    webLink: `${webBase}/owa/?ItemID=${encodeURIComponent(m.id)}&exvsurl=1&viewmodel=ReadMessageItem`,
    body: bodyAsText
      ? { contentType: 'text', content: htmlToText(m.bodyHtml) }
      : { contentType: 'html', content: m.bodyHtml },
    sender: recipient(m.from),
    from: recipient(m.from),
    toRecipients: m.to.map(recipient),
    ccRecipients: m.cc.map(recipient),
    bccRecipients: m.bcc.map(recipient),
  };
}

function dateTimeTimeZone(
  ms: number,
  isAllDay: boolean,
  zone: { iana: string; label: string },
): { dateTime: string; timeZone: string } {
  // All-day events span whole days in every zone, so they are not shifted.
  return { dateTime: isAllDay ? wallClock(ms, 'UTC') : wallClock(ms, zone.iana), timeZone: zone.label };
}

export function eventJson(
  e: StoredEvent,
  zone: { iana: string; label: string },
  webBase: string,
): Record<string, unknown> {
  return {
    id: e.id,
    subject: e.subject,
    bodyPreview: previewOf(e.bodyHtml),
    body: { contentType: 'html', content: e.bodyHtml },
    start: dateTimeTimeZone(e.startMs, e.isAllDay, zone),
    end: dateTimeTimeZone(e.endMs, e.isAllDay, zone),
    isAllDay: e.isAllDay,
    isCancelled: e.isCancelled,
    isOnlineMeeting: e.isOnlineMeeting,
    onlineMeetingProvider: e.isOnlineMeeting ? 'teamsForBusiness' : 'unknown',
    onlineMeeting: e.joinUrl ? { joinUrl: e.joinUrl } : null,
    showAs: e.showAs,
    type: e.type,
    location: { displayName: e.location, locationType: 'default' },
    organizer: recipient(e.organizer),
    attendees: e.attendees.map((a) => ({
      type: a.type,
      status: { response: a.response, time: '0001-01-01T00:00:00Z' },
      emailAddress: a.emailAddress,
    })),
    webLink: `${webBase}/owa/?itemid=${encodeURIComponent(e.id)}&exvsurl=1&path=/calendar/item`,
  };
}

export function driveItemJson(node: DriveNode, drive: Drive, webBase: string): Record<string, unknown> {
  const path = drive.pathOf(node.id);
  const parentId = node.parentId;
  const json: Record<string, unknown> = {
    id: node.id,
    name: node.name,
    size: drive.sizeOf(node),
    createdDateTime: isoSeconds(node.createdMs),
    lastModifiedDateTime: isoSeconds(node.modifiedMs),
    webUrl: `${webBase}/personal/${drive.userId}/Documents${path
      .replace(/^\/drive\/root:/, '')
      .split('/')
      .map(encodeURIComponent)
      .join('/')}`,
    parentReference:
      parentId === null
        ? { driveId: drive.id, driveType: 'business' }
        : { driveId: drive.id, driveType: 'business', id: parentId, path: drive.pathOf(parentId) },
  };
  if (node.parentId === null) json.root = {};
  if (node.isFolder) json.folder = { childCount: node.childIds.length };
  else json.file = { mimeType: node.mimeType ?? 'application/octet-stream' };
  return json;
}
