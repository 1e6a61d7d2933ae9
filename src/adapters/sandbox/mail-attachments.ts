import { exchangeId } from './ids.js';
import { hashToUint32 } from './prng.js';
import { isoSeconds } from './odata.js';
import type { StoredAttachment, StoredMessage } from './sandbox-tenant.js';

/** Size of the big seeded attachment: over the gateway's 3 MiB inline limit, to exercise it. */
export const LARGE_SEEDED_ATTACHMENT_BYTES = 4_500_000;

/**
 * A seeded message with `hasAttachments` gets, on first access, a small text file plus either a
 * large deck or a mid-size PDF (chosen by its id), so the same seed always yields the same files.
 */
export function attachmentsOf(m: StoredMessage): StoredAttachment[] {
  if (m.attachments !== undefined) return m.attachments;
  if (!m.hasAttachments) return [];
  const h = hashToUint32(m.id, 'attachments');
  const notes = 1_000 + (h % 4_000);
  const large = h % 2 === 0;
  m.attachments = [
    {
      id: exchangeId(m.id, 'attachment', 0),
      name: 'Notes.txt',
      contentType: 'text/plain',
      isInline: false,
      size: notes,
      content: { kind: 'generated', seed: h, textual: true },
    },
    {
      id: exchangeId(m.id, 'attachment', 1),
      name: large ? 'Deck.pptx' : 'Report.pdf',
      contentType: large ? 'application/vnd.openxmlformats-officedocument.presentationml.presentation' : 'application/pdf',
      isInline: false,
      size: large ? LARGE_SEEDED_ATTACHMENT_BYTES : 80_000 + (h % 20_000),
      content: { kind: 'generated', seed: h + 1, textual: false },
    },
  ];
  return m.attachments;
}

/** Graph's fileAttachment JSON; `contentBytes` only when asked for (never in $expand listings). */
export function attachmentJson(a: StoredAttachment, m: StoredMessage, contentBytes?: string): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.fileAttachment',
    id: a.id,
    lastModifiedDateTime: isoSeconds(m.receivedMs),
    name: a.name,
    contentType: a.contentType,
    size: a.size,
    isInline: a.isInline,
    contentId: null,
    contentLocation: null,
    ...(contentBytes === undefined ? {} : { contentBytes }),
  };
}
