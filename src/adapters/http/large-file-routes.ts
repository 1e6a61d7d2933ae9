import type { Hono } from 'hono';
import { invalidInput, isDomainError } from '../../domain/errors.js';
import type { Identity } from '../../domain/identity.js';
import type { AppendUploadBytes } from '../../domain/use-cases/append-upload-bytes.js';
import type { CancelUpload } from '../../domain/use-cases/cancel-upload.js';
import type { GetUploadStatus } from '../../domain/use-cases/get-upload-status.js';
import type { StreamAttachment } from '../../domain/use-cases/stream-attachment.js';
import type { StreamFile } from '../../domain/use-cases/stream-file.js';
import type { DownloadLinks, DownloadTarget } from '../../ports/download-links.js';
import type { FileStream, UnsatisfiableRange } from '../../ports/file-stream-gateway.js';
import type { Logger } from '../../ports/logger.js';
import { bearerToken, type Authenticator } from './authenticator.js';
import { domainErrorResponse } from './domain-error-response.js';
import { DOWNLOADS_PATH } from './hmac-download-links.js';
import type { HttpEnv } from './http-app.js';
import { originGuard, type OriginPolicy } from './origin-guard.js';
import { bodyPieces } from './request-body.js';
import { UPLOADS_PATH } from './tools/upload-tools.js';

export interface LargeFileRoutesDeps {
  authenticator: Authenticator;
  originPolicy: OriginPolicy;
  appendUploadBytes: AppendUploadBytes;
  getUploadStatus: GetUploadStatus;
  cancelUpload: CancelUpload;
  streamFile: StreamFile;
  streamAttachment: StreamAttachment;
  links: DownloadLinks;
  logger: Logger;
}

const CONTENT_RANGE = /^bytes (\d{1,15})-(\d{1,15})\/(\d{1,15}|\*)$/;

/**
 * `PUT /uploads/{id}`: the bytes of an upload as a binary body, streamed to OneDrive in aligned
 * fragments (never held whole). `Content-Range: bytes start-end/total` resumes at `start`; without
 * it the body is the whole file. `GET` tells where to resume, `DELETE` cancels.
 * `GET /downloads/{token}`: a download link from files_download or mail_get_attachment, for the user it was issued to.
 * Both take the same bearer token as `/mcp`.
 */
export function mountLargeFileRoutes(app: Hono<HttpEnv>, deps: LargeFileRoutesDeps): void {
  const guard = originGuard(deps.originPolicy);
  app.use(`${UPLOADS_PATH}/*`, guard);
  app.use(`${DOWNLOADS_PATH}/*`, guard);

  const authenticate = async (request: Request): Promise<Identity | Response> => {
    const caller = await deps.authenticator.authenticate(bearerToken(request.headers.get('authorization') ?? undefined));
    if (caller) return caller;
    const body = { error: { category: 'auth_required', code: 'http.unauthenticated', message: 'Send the same bearer token as for /mcp.' } };
    return Response.json(body, { status: 401, headers: { 'WWW-Authenticate': deps.authenticator.challenge() } });
  };

  app.put(`${UPLOADS_PATH}/:id`, async (c) => {
    const caller = await authenticate(c.req.raw);
    if (caller instanceof Response) return caller;
    const correlationId = c.get('correlationId');
    try {
      const uploadId = c.req.param('id');
      const { offset, length, total } = parseRange(c.req.header('content-range'), c.req.header('content-length'));
      if (total !== undefined) {
        const status = await deps.getUploadStatus.execute(caller, { uploadId });
        if (status.size !== total) throw invalidInput('upload.sizeChanged', `The upload was started with a size of ${status.size} bytes; Content-Range says ${total}.`);
      }
      const status = await deps.appendUploadBytes.execute(caller, {
        uploadId,
        offset,
        ...(length === undefined ? {} : { length }),
        source: bodyPieces(c.req.raw, c.env),
      });
      return c.json(status, status.status === 'completed' ? 200 : 202);
    } catch (error) {
      if (!isDomainError(error) && c.req.raw.signal.aborted) {
        // The client went away mid-body; what reached OneDrive is saved, GET tells where to resume.
        deps.logger.info('upload body interrupted', { correlationId });
        return domainErrorResponse(invalidInput('upload.bodyInterrupted', 'The request body ended early.'), correlationId);
      }
      return domainErrorResponse(error, correlationId);
    }
  });

  app.get(`${UPLOADS_PATH}/:id`, async (c) => {
    const caller = await authenticate(c.req.raw);
    if (caller instanceof Response) return caller;
    try {
      return c.json(await deps.getUploadStatus.execute(caller, { uploadId: c.req.param('id') }));
    } catch (error) {
      return domainErrorResponse(error, c.get('correlationId'));
    }
  });

  app.delete(`${UPLOADS_PATH}/:id`, async (c) => {
    const caller = await authenticate(c.req.raw);
    if (caller instanceof Response) return caller;
    try {
      return c.json(await deps.cancelUpload.execute(caller, { uploadId: c.req.param('id') }));
    } catch (error) {
      return domainErrorResponse(error, c.get('correlationId'));
    }
  });

  app.get(`${DOWNLOADS_PATH}/:token`, async (c) => {
    const caller = await authenticate(c.req.raw);
    if (caller instanceof Response) return caller;
    const correlationId = c.get('correlationId');
    try {
      const target = await deps.links.resolve(c.req.param('token'), caller);
      if (target === null) {
        const message = 'The link is invalid, expired or belongs to another user. Call files_download or mail_get_attachment again.';
        return c.json({ error: { category: 'not_found', code: 'download.linkInvalid', message, correlationId } }, 404);
      }
      const range = c.req.header('range');
      const { name, content } = await open(deps, caller, target, { ...(range === undefined ? {} : { range }), signal: c.req.raw.signal });
      const headers = new Headers({ 'accept-ranges': 'bytes', 'cache-control': 'private, no-store', 'x-content-type-options': 'nosniff' });
      if (content.contentRange !== undefined) headers.set('content-range', content.contentRange);
      if (content.status === 416) return new Response(null, { status: 416, headers });
      headers.set('content-type', content.contentType);
      headers.set('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`);
      if (content.length !== undefined) headers.set('content-length', String(content.length));
      return new Response(content.body, { status: content.status, headers });
    } catch (error) {
      return domainErrorResponse(error, correlationId);
    }
  });
}

/** The content a link grants, with the file name to offer. */
async function open(
  deps: LargeFileRoutesDeps,
  caller: Identity,
  target: DownloadTarget,
  request: { range?: string; signal: AbortSignal },
): Promise<{ name: string; content: FileStream | UnsatisfiableRange }> {
  if (target.kind === 'driveItem') {
    const { item, content } = await deps.streamFile.execute(caller, { itemId: target.itemId, ...request });
    return { name: item.name, content };
  }
  const { attachment, content } = await deps.streamAttachment.execute(caller, { messageId: target.messageId, attachmentId: target.attachmentId, ...request });
  return { name: attachment.name, content };
}

function parseRange(contentRange: string | undefined, contentLength: string | undefined): { offset: number; length?: number; total?: number } {
  const declared = contentLength === undefined ? undefined : Number(contentLength);
  if (declared !== undefined && (!Number.isSafeInteger(declared) || declared < 0)) throw invalidInput('upload.badContentLength', 'Content-Length is not a byte count.');
  if (contentRange === undefined) return { offset: 0, ...(declared === undefined ? {} : { length: declared }) };
  const m = CONTENT_RANGE.exec(contentRange.trim());
  if (!m) throw invalidInput('upload.badContentRange', 'Content-Range must look like "bytes 0-1048575/5000000".');
  const start = Number(m[1]);
  const end = Number(m[2]);
  const total = m[3] === '*' ? undefined : Number(m[3]);
  if (end < start || (total !== undefined && end >= total)) throw invalidInput('upload.badContentRange', 'Content-Range is not a valid byte range of the file.');
  const length = end - start + 1;
  if (declared !== undefined && declared !== length) throw invalidInput('upload.badContentRange', `Content-Range covers ${length} bytes but Content-Length is ${declared}.`);
  return { offset: start, length, ...(total === undefined ? {} : { total }) };
}
