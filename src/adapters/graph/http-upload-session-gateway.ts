import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ConflictBehavior, FolderRef } from '../../domain/files.js';
import { DomainError, isDomainError } from '../../domain/errors.js';
import type { Identity } from '../../domain/identity.js';
import type { Clock } from '../../ports/clock.js';
import type {
  AttachmentUploadItem,
  CreatedUploadSession,
  FragmentOutcome,
  RemoteUploadProgress,
  UploadSessionGateway,
  UploadUrl,
} from '../../ports/upload-session-gateway.js';
import { mapGraphError, mapTransportError } from './graph-error-mapper.js';
import type { GraphHttpClient } from './graph-http-client.js';
import { drivePath, segment } from './graph-path.js';
import { obj, str } from './graph-values.js';
import { toDriveItem } from './normalize-files.js';

export interface HttpUploadSessionGatewayOptions {
  /** Deadline of one fragment PUT (body included) and of the small upload-URL calls. */
  fragmentTimeoutMs: number;
  fetch?: typeof fetch;
  clock?: Clock;
}

/**
 * driveItem: createUploadSession and attachment: createUploadSession through the authenticated Graph
 * client; the fragments go to the pre-authenticated upload URL it returns, which must never see our
 * token (Graph answers 401 if it does). OneDrive answers a fragment 202 until the last, then 200/201
 * with the driveItem; Outlook answers 200 until the last, then 201 with the attachment's URL in Location.
 */
export class HttpUploadSessionGateway implements UploadSessionGateway {
  private readonly fetchFn: typeof fetch;
  private readonly clock: Clock;

  constructor(
    private readonly graph: GraphHttpClient,
    private readonly options: HttpUploadSessionGatewayOptions,
  ) {
    this.fetchFn = options.fetch ?? fetch;
    this.clock = options.clock ?? { now: () => Date.now() };
  }

  async create(caller: Identity, folder: FolderRef, name: string, conflict: ConflictBehavior, _size: number): Promise<CreatedUploadSession> {
    const target =
      'itemId' in folder ? `/me/drive/items/${segment(folder.itemId)}:/${segment(name)}:` : `/me/drive/root:${drivePath(folder.path)}/${segment(name)}:`;
    const body = obj(
      await this.graph.request<unknown>(caller, {
        family: 'files',
        operation: 'files.createUploadSession',
        method: 'POST',
        path: `${target}/createUploadSession`,
        body: { item: { '@microsoft.graph.conflictBehavior': conflict } },
        idempotent: false,
      }),
    );
    return this.created(body);
  }

  async createForAttachment(caller: Identity, messageId: string, attachment: AttachmentUploadItem): Promise<CreatedUploadSession> {
    const body = obj(
      await this.graph.request<unknown>(caller, {
        family: 'mail',
        operation: 'mail.createAttachmentUploadSession',
        method: 'POST',
        path: `/me/messages/${segment(messageId)}/attachments/createUploadSession`,
        body: { AttachmentItem: { attachmentType: 'file', name: attachment.name, size: attachment.size, contentType: attachment.contentType } },
        idempotent: false,
      }),
    );
    return this.created(body);
  }

  private created(body: Record<string, unknown>): CreatedUploadSession {
    const uploadUrl = this.checkedUploadUrl(str(body.uploadUrl));
    return { uploadUrl, expiresAt: expiry(field(body, 'expirationDateTime')) ?? this.clock.now() + 15 * 60_000 };
  }

  async putFragment(upload: UploadUrl, start: number, total: number, bytes: Uint8Array): Promise<FragmentOutcome> {
    const end = start + bytes.byteLength - 1;
    // node:http rather than fetch: fetch copies a byte body into a stream first, a second copy of every fragment.
    const res = await sendBytes(this.checkedUploadUrl(upload.url), bytes, this.options.fragmentTimeoutMs, {
      // No Authorization: the URL is the credential.
      'content-type': 'application/octet-stream',
      'content-length': String(bytes.byteLength),
      'content-range': `bytes ${start}-${end}/${total}`,
    });
    if (res.status < 200 || res.status > 299) {
      throw mapGraphError({ status: res.status, headers: res.headers, bodyText: res.text.slice(0, 64 * 1024), nowMs: this.clock.now() });
    }
    if (upload.kind === 'attachment') {
      if (res.status !== 201) return { kind: 'incomplete', ...parseProgress(obj(parseJsonText(res.text, res.status)), total) };
      const attachmentId = attachmentIdOf(res.headers.get('location'));
      return { kind: 'complete', ...(attachmentId === undefined ? {} : { attachmentId }) };
    }
    const body = obj(parseJsonText(res.text, res.status));
    if (res.status === 200 || res.status === 201) return { kind: 'complete', item: toDriveItem(body) };
    const progress = parseProgress(body, total);
    return { kind: 'incomplete', ...progress };
  }

  async progress(upload: UploadUrl, total: number): Promise<RemoteUploadProgress> {
    const res = await this.call(upload.url, { method: 'GET', headers: { accept: 'application/json' } });
    return parseProgress(obj(await readJson(res)), total);
  }

  async cancel(upload: UploadUrl): Promise<void> {
    try {
      const res = await this.call(upload.url, { method: 'DELETE' });
      await res.body?.cancel();
    } catch (error) {
      // Already gone (expired or completed): nothing left to delete.
      if (isDomainError(error) && error.httpStatus === 404) return;
      throw error;
    }
  }

  /** One request to the upload URL: deadline, Graph error mapping, no token, no redirects. */
  private async call(uploadUrl: string, init: RequestInit): Promise<Response> {
    const deadline = AbortSignal.timeout(this.options.fragmentTimeoutMs);
    try {
      const res = await this.fetchFn(this.checkedUploadUrl(uploadUrl), { ...init, signal: deadline, redirect: 'manual' });
      if (res.ok) return res;
      const bodyText = await res.text().catch(() => '');
      throw mapGraphError({ status: res.status, headers: res.headers, bodyText: bodyText.slice(0, 64 * 1024), nowMs: this.clock.now() });
    } catch (error) {
      if (isDomainError(error)) throw error;
      throw mapTransportError(error, deadline.aborted);
    }
  }

  /** Upload URLs are https (http only when Graph itself is, i.e. a local sandbox). */
  private checkedUploadUrl(value: string | undefined): string {
    let url: URL | undefined;
    try {
      url = value === undefined ? undefined : new URL(value);
    } catch {
      url = undefined;
    }
    if (url === undefined || (url.protocol !== 'https:' && url.protocol !== this.graph.baseUrl.protocol) || url.username !== '' || url.password !== '') {
      throw new DomainError('unavailable', 'graph.badUploadUrl', 'Microsoft Graph returned an unusable upload URL. Retry in a moment.');
    }
    return url.toString();
  }
}

function expiry(value: unknown): number | undefined {
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * `nextExpectedRanges: ["12345-", "20000-30000"]` (OneDrive) or `["2097152"]` (Outlook) → the start of
 * the first missing range; none missing → total.
 */
function parseProgress(body: Record<string, unknown>, total: number): RemoteUploadProgress {
  const listed = field(body, 'nextExpectedRanges');
  const ranges = Array.isArray(listed) ? listed : [];
  const starts = ranges.map((r) => (typeof r === 'string' ? /^(\d+)/.exec(r)?.[1] : undefined)).filter((s): s is string => s !== undefined).map(Number);
  const nextExpected = starts.length === 0 ? total : Math.min(...starts);
  const expiresAt = expiry(field(body, 'expirationDateTime'));
  return { nextExpected, ...(expiresAt === undefined ? {} : { expiresAt }) };
}

/** A property in Graph's camelCase or in the PascalCase Outlook's upload URL answers with (`ExpirationDateTime`). */
function field(body: Record<string, unknown>, name: string): unknown {
  return body[name] ?? body[name.charAt(0).toUpperCase() + name.slice(1)];
}

/** `.../Messages('AAMk...')/Attachments('AAMk...=')` → the attachment id. */
function attachmentIdOf(location: string | null): string | undefined {
  const quoted = location === null ? undefined : /\/Attachments\('([^']+)'\)\s*$/i.exec(location)?.[1];
  if (quoted === undefined) return undefined;
  try {
    return decodeURIComponent(quoted);
  } catch {
    return quoted;
  }
}

async function readJson(res: Response): Promise<unknown> {
  try {
    return await res.json();
  } catch (cause) {
    throw new DomainError('unavailable', 'graph.badResponse', 'Microsoft Graph sent a response that could not be read. Retry in a moment.', { httpStatus: res.status, cause });
  }
}

function parseJsonText(text: string, status: number): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new DomainError('unavailable', 'graph.badResponse', 'Microsoft Graph sent a response that could not be read. Retry in a moment.', { httpStatus: status, cause });
  }
}

interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
}

/** One PUT of a byte body with a deadline; transport failures become DomainErrors. */
function sendBytes(url: string, body: Uint8Array, timeoutMs: number, headers: Record<string, string>): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    let timedOut = false;
    const req = send(target, { method: 'PUT', headers }, (res) => {
      const parts: Buffer[] = [];
      let size = 0;
      res.on('data', (d: Buffer) => {
        size += d.length;
        if (size <= 1024 * 1024) parts.push(d);
      });
      res.on('end', () => {
        clearTimeout(timer);
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') responseHeaders.set(name, value);
        resolve({ status: res.statusCode ?? 0, headers: responseHeaders, text: Buffer.concat(parts).toString('utf8') });
      });
      res.on('error', (error) => reject(mapTransportError(error, timedOut)));
    });
    const timer = setTimeout(() => {
      timedOut = true;
      req.destroy(new Error('upload fragment timed out'));
    }, timeoutMs);
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(mapTransportError(error, timedOut));
    });
    req.end(body);
  });
}
