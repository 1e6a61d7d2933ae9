import { DomainError } from '../../domain/errors.js';
import type { Identity } from '../../domain/identity.js';
import type { FileStream, FileStreamGateway, UnsatisfiableRange } from '../../ports/file-stream-gateway.js';
import type { GraphHttpClient, GraphRequest } from './graph-http-client.js';
import { segment } from './graph-path.js';

/**
 * `GET /me/drive/items/{id}/content` and `GET /me/messages/{id}/attachments/{id}/$value`, streamed:
 * the bytes pass through without being held.
 */
export class HttpFileStreamGateway implements FileStreamGateway {
  constructor(private readonly graph: GraphHttpClient) {}

  open(caller: Identity, itemId: string, range: string | undefined, signal?: AbortSignal): Promise<FileStream | UnsatisfiableRange> {
    const path = `/me/drive/items/${segment(itemId)}/content`;
    return this.stream(caller, { family: 'files', operation: 'files.streamContent', method: 'GET', path, idempotent: true }, range, signal);
  }

  openAttachment(caller: Identity, messageId: string, attachmentId: string, range: string | undefined, signal?: AbortSignal): Promise<FileStream | UnsatisfiableRange> {
    const path = `/me/messages/${segment(messageId)}/attachments/${segment(attachmentId)}/$value`;
    return this.stream(caller, { family: 'mail', operation: 'mail.streamAttachment', method: 'GET', path, idempotent: true }, range, signal);
  }

  private async stream(caller: Identity, request: GraphRequest, range: string | undefined, signal?: AbortSignal): Promise<FileStream | UnsatisfiableRange> {
    const res = await this.graph.openStream(caller, request, range === undefined ? {} : { range }, signal);
    const contentRange = res.headers.get('content-range') ?? undefined;
    if (res.status === 416) {
      await res.body?.cancel();
      return { status: 416, ...(contentRange === undefined ? {} : { contentRange }) };
    }
    if (res.body === null || (res.status !== 200 && res.status !== 206)) {
      await res.body?.cancel();
      throw new DomainError('unavailable', 'graph.badDownload', 'Microsoft Graph answered the download in an unexpected way. Retry in a moment.', { httpStatus: res.status });
    }
    const declared = Number(res.headers.get('content-length') ?? NaN);
    return {
      status: res.status,
      contentType: res.headers.get('content-type') ?? 'application/octet-stream',
      ...(Number.isSafeInteger(declared) && declared >= 0 ? { length: declared } : {}),
      ...(res.status === 206 && contentRange !== undefined ? { contentRange } : {}),
      body: res.body,
    };
  }
}
