import { Hono } from 'hono';
import { z } from 'zod';
import type { SandboxContext, SandboxEnv } from '../context.js';
import { requireScope } from '../context.js';
import { GraphError, badRequest, notFound } from '../graph-errors.js';
import { attachmentsOf } from '../mail-attachments.js';
import { isoSeconds } from '../odata.js';
import {
  SANDBOX_ATTACHMENT_MAX_BYTES,
  SANDBOX_ATTACHMENT_MAX_FRAGMENT_BYTES,
  SANDBOX_ATTACHMENT_MIN_BYTES,
  takeBytes,
  type SandboxUploadSession,
  type SandboxUploadSessions,
} from '../upload-session-state.js';
import type { RouteDeps } from './route-deps.js';
import { discardBody, fragmentRange, liveSession, receiveFragment } from './upload-sessions.js';

/** Outlook's upload URLs live on another host (outlook.office.com); here, another path outside /v1.0. */
export const ATTACHMENT_UPLOAD_URL_PATH = '/_sandbox/attachment-upload';

const createSchema = z.object({
  AttachmentItem: z.object({
    attachmentType: z.string(),
    name: z.string().min(1),
    size: z.number().int(),
    contentType: z.string().optional(),
    isInline: z.boolean().optional(),
  }),
});

/** The session as Outlook's upload URL reports it: PascalCase expiry, the next offset alone (no range end). */
function progressJson(session: SandboxUploadSession): Record<string, unknown> {
  return { ExpirationDateTime: isoSeconds(session.expiresAt), nextExpectedRanges: [String(session.received)] };
}

/** `POST /me/messages/{id}/attachments/createUploadSession` under /v1.0, for attachments of 3 MB to 150 MB. */
export function createAttachmentUploadSessionRoutes(deps: RouteDeps, sessions: SandboxUploadSessions): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();
  app.post('/me/messages/:id/attachments/createUploadSession', async (c) => {
    requireScope(c, 'exchange', 'Mail.ReadWrite');
    const user = c.get('user');
    const message = deps.tenant.mailbox(user.id).get(c.req.param('id'));
    if (!message) throw notFound('exchange');
    // Graph's examples attach to drafts; refusing other messages keeps sent and received mail unchanged.
    if (message.folder !== 'drafts') throw badRequest('ErrorInvalidOperation', 'Attachments can be uploaded only to draft messages.');
    let raw: unknown;
    try {
      raw = await c.req.json();
    } catch {
      throw badRequest('ErrorInvalidRequest', 'Empty Payload. JSON content expected.');
    }
    const parsed = createSchema.safeParse(raw);
    if (!parsed.success) throw badRequest('ErrorInvalidRequest', 'The request needs AttachmentItem with attachmentType, name and size.');
    const item = parsed.data.AttachmentItem;
    if (item.attachmentType.toLowerCase() !== 'file') throw badRequest('ErrorInvalidRequest', "Only attachmentType 'file' can be uploaded.");
    if (item.size < SANDBOX_ATTACHMENT_MIN_BYTES) {
      throw badRequest('ErrorAttachmentSizeShouldNotBeLessThanMinimumSize', 'Attachment size should not be less than the minimum size for an upload session.');
    }
    // Graph documents no code for this; Exchange's message-size error is the closest it has.
    if (item.size > SANDBOX_ATTACHMENT_MAX_BYTES) throw badRequest('ErrorMessageSizeExceeded', 'The message exceeds the maximum supported size.');
    const session = sessions.create({
      userId: user.id,
      target: { kind: 'attachment', messageId: message.id, name: item.name, contentType: item.contentType ?? 'application/octet-stream', isInline: item.isInline ?? false },
      total: item.size,
    });
    return c.json(
      {
        '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.uploadSession',
        uploadUrl: `${new URL(c.req.url).origin}${ATTACHMENT_UPLOAD_URL_PATH}/${session.id}`,
        expirationDateTime: isoSeconds(session.expiresAt),
        nextExpectedRanges: ['0-'],
      },
      201,
    );
  });
  return app;
}

/**
 * Outlook's pre-authenticated upload URL: fragments of up to 4 MiB, in order, any alignment; 200 with
 * the next offset until the last, then 201 with the attachment's URL in Location and an empty body.
 */
export function attachmentUploadUrlRoutes(deps: RouteDeps, sessions: SandboxUploadSessions): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();
  const live = (c: SandboxContext) => liveSession(c, sessions, 'attachment');

  app.get(`${ATTACHMENT_UPLOAD_URL_PATH}/:id`, (c) => c.json(progressJson(live(c))));

  app.delete(`${ATTACHMENT_UPLOAD_URL_PATH}/:id`, (c) => {
    sessions.delete(live(c).id);
    return c.body(null, 204);
  });

  app.put(`${ATTACHMENT_UPLOAD_URL_PATH}/:id`, async (c) => {
    const session = live(c);
    const { start, total, length } = fragmentRange(c);
    if (total !== session.total) {
      throw badRequest('ErrorInvalidRequest', `The file size in Content-Range (${total}) differs from the size given to createUploadSession (${session.total}).`);
    }
    if (length > SANDBOX_ATTACHMENT_MAX_FRAGMENT_BYTES) {
      await discardBody(c);
      throw new GraphError(413, 'ErrorRequestEntityTooLarge', 'Upload at most 4 MB per request.');
    }
    if (start !== session.received) {
      throw new GraphError(416, 'ErrorInvalidRange', `The fragment overlaps or skips bytes: the next expected range starts at ${session.received}.`);
    }
    const received = await receiveFragment(c, sessions, session, { start, length, total });
    if (received === 'short') throw badRequest('ErrorInvalidRequest', 'The body length differs from Content-Range.');
    if (received === 'raced') throw new GraphError(416, 'ErrorInvalidRange', `The fragment overlaps already received bytes; next expected ${session.received}.`);
    if (session.received < total) return c.json({ '@odata.context': `${new URL(c.req.url).origin}/api/v2.0/$metadata#AttachmentSessions/$entity`, ...progressJson(session) }, 200);

    sessions.delete(session.id);
    const message = deps.tenant.mailbox(session.userId).get(session.target.messageId);
    if (!message) throw notFound('exchange');
    const bytes = takeBytes(session);
    const { name, contentType, isInline } = session.target;
    const attachment = { id: deps.tenant.nextRuntimeId('attachment'), name, contentType, isInline, size: bytes.length, content: { kind: 'bytes' as const, data: bytes } };
    message.attachments = [...attachmentsOf(message), attachment];
    message.hasAttachments = true;
    const location = `${new URL(c.req.url).origin}/api/v2.0/Users('${session.userId}')/Messages('${message.id}')/Attachments('${attachment.id}')`;
    return c.body(null, 201, { location });
  });
  return app;
}
