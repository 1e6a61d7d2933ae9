import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';

import { DomainError, payloadTooLarge } from '../../domain/errors.js';
import { isDomainError } from '../../domain/errors.js';
import type { Identity } from '../../domain/identity.js';
import type { Clock } from '../../ports/clock.js';
import type { GraphTokenProvider } from '../../ports/graph-token-provider.js';
import { PassThroughGraphCallPolicy } from './graph-call-policy.js';
import type { GraphCallPolicy, GraphFamily } from './graph-call-policy.js';
import { mapGraphError, mapTransportError } from './graph-error-mapper.js';
import { discard, headersOf, KeepAliveHttp } from './keep-alive-http.js';

export type GraphMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface GraphRequest {
  family: GraphFamily;
  /** Stable name for policies and logs, e.g. `mail.listMessages`. */
  operation: string;
  method: GraphMethod;
  /** Path under the base URL, already encoded, starting with `/`; may carry a query (from a nextLink). */
  path: string;
  /** Added to the query string; keys are written as given, values are percent-encoded. */
  query?: Record<string, string | number | boolean | undefined>;
  /** JSON-serialized, or sent as-is when bytes. */
  body?: unknown;
  headers?: Record<string, string>;
  idempotent: boolean;
  /**
   * `json` (default): parsed body; `none`: nothing; `bytes`: raw body, following a download redirect;
   * `location`: the Location header of an accepted long-running operation (202 + monitor URL).
   */
  expect?: 'json' | 'none' | 'bytes' | 'location';
  /** Largest response body accepted; over it the call fails with payload_too_large. */
  maxBytes?: number;
}

export interface GraphHttpClientOptions {
  /** e.g. https://graph.microsoft.com/v1.0, or https://graph.microsoft.us/v1.0 for US Government. */
  baseUrl: string;
  tokenProvider: GraphTokenProvider;
  /** Deadline of one attempt, body included. */
  timeoutMs: number;
  policy?: GraphCallPolicy;
  clock?: Clock;
  /** Default cap on response bodies (JSON and bytes). */
  maxResponseBytes?: number;
}

const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/** The one way to talk to Microsoft Graph: auth, correlation, deadline, error mapping, policy. */
export class GraphHttpClient {
  readonly baseUrl: URL;
  private readonly basePath: string;
  private readonly http = new KeepAliveHttp();
  private readonly policy: GraphCallPolicy;
  private readonly clock: Clock;
  private readonly maxResponseBytes: number;

  constructor(private readonly options: GraphHttpClientOptions) {
    const base = new URL(options.baseUrl);
    if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new Error('Graph base URL must be http(s)');
    base.pathname = base.pathname.replace(/\/+$/, '');
    base.search = '';
    base.hash = '';
    this.baseUrl = base;
    this.basePath = base.pathname;
    this.policy = options.policy ?? new PassThroughGraphCallPolicy();
    this.clock = options.clock ?? { now: () => Date.now() };
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  }

  request<T>(caller: Identity, req: GraphRequest): Promise<T> {
    const url = this.buildUrl(req);
    const ctx = { family: req.family, tenantId: caller.tenantId, userId: caller.objectId, idempotent: req.idempotent, operation: req.operation };
    return this.policy.execute(ctx, (signal) => this.attempt<T>(caller, req, url, signal));
  }

  /**
   * Opens a download without reading its body, for content too big to hold: follows the 302 to the
   * pre-authenticated URL forwarding `forward` headers (e.g. Range) but never the token. The deadline
   * covers the response head; the body streams for as long as the caller reads it or `signal` allows.
   */
  openStream(caller: Identity, req: GraphRequest, forward: Record<string, string>, signal?: AbortSignal): Promise<Response> {
    const url = this.buildUrl(req);
    const ctx = { family: req.family, tenantId: caller.tenantId, userId: caller.objectId, idempotent: true, operation: req.operation };
    return this.policy.execute(ctx, async (policySignal) => {
      const token = await this.options.tokenProvider.getAccessToken(caller);
      // The policy's signal governs the head only: a policy may abort it once `fn` settles, which must
      // not cut off a body that is still streaming. The caller's signal governs the whole body.
      const head = new AbortController();
      const timer = setTimeout(() => head.abort(), this.options.timeoutMs);
      const onPolicyAbort = (): void => head.abort();
      policySignal.addEventListener('abort', onPolicyAbort, { once: true });
      const stream = new AbortController();
      const abort = AbortSignal.any([stream.signal, ...(signal ? [signal] : [])]);
      head.signal.addEventListener('abort', () => stream.abort(), { once: true });
      try {
        let res = await this.http.send(url, {
          method: 'GET',
          headers: { ...forward, authorization: `Bearer ${token}`, 'client-request-id': randomUUID() },
          signal: abort,
        });
        if (isRedirect(res)) res = await this.followDownload(res, url, abort, forward);
        const status = res.statusCode ?? 0;
        if (!isOk(res) && status !== 416) throw await this.graphError(res);
        if (status === 204) await discard(res);
        const body = status === 204 ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
        return new Response(body, { status, headers: headersOf(res) });
      } catch (err) {
        if (isDomainError(err)) throw err;
        throw mapTransportError(err, head.signal.aborted);
      } finally {
        clearTimeout(timer);
        policySignal.removeEventListener('abort', onPolicyAbort);
      }
    });
  }

  private buildUrl(req: GraphRequest): URL {
    if (!req.path.startsWith('/') || req.path.startsWith('//') || req.path.includes('\\')) {
      throw new DomainError('internal', 'graph.badPath', 'An internal error occurred while building the Graph request.');
    }
    const params = Object.entries(req.query ?? {})
      .filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined)
      .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`);
    const sep = req.path.includes('?') ? '&' : '?';
    const url = new URL(`${this.baseUrl.origin}${this.basePath}${req.path}${params.length > 0 ? sep + params.join('&') : ''}`);
    // Defense in depth: whatever the path, the token only ever goes to the configured Graph.
    if (url.origin !== this.baseUrl.origin || !url.pathname.startsWith(`${this.basePath}/`)) {
      throw new DomainError('internal', 'graph.badPath', 'An internal error occurred while building the Graph request.');
    }
    return url;
  }

  private async attempt<T>(caller: Identity, req: GraphRequest, url: URL, policySignal: AbortSignal): Promise<T> {
    const token = await this.options.tokenProvider.getAccessToken(caller);
    const deadline = AbortSignal.timeout(this.options.timeoutMs);
    const signal = AbortSignal.any([policySignal, deadline]);
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...req.headers,
      authorization: `Bearer ${token}`,
      'client-request-id': randomUUID(),
    };
    let body: string | Uint8Array | undefined;
    if (req.body instanceof Uint8Array) {
      body = req.body;
      headers['content-type'] ??= 'application/octet-stream';
    } else if (req.body !== undefined) {
      body = JSON.stringify(req.body);
      headers['content-type'] = 'application/json';
    }
    const maxBytes = req.maxBytes ?? this.maxResponseBytes;
    try {
      let res = await this.http.send(url, { method: req.method, headers, body, signal });
      if (isRedirect(res)) {
        if (req.expect !== 'bytes') {
          await discard(res);
          throw new DomainError('unavailable', 'graph.unexpectedRedirect', 'Microsoft Graph answered with an unexpected redirect. Retry in a moment.', {
            httpStatus: res.statusCode,
          });
        }
        res = await this.followDownload(res, url, signal);
      }
      if (!isOk(res)) throw await this.graphError(res);
      if (req.expect === 'none') {
        await discard(res);
        return undefined as T;
      }
      if (req.expect === 'location') {
        await discard(res);
        const location = res.headers.location;
        if (location === undefined) throw new DomainError('unavailable', 'graph.missingMonitor', 'Microsoft Graph accepted the operation but gave no way to follow it. Retry in a moment.');
        return location as T;
      }
      const bytes = await readCapped(res, maxBytes, false);
      if (req.expect === 'bytes') return bytes as T;
      return parseJson<T>(bytes, res.statusCode ?? 0);
    } catch (err) {
      if (isDomainError(err)) throw err;
      throw mapTransportError(err, deadline.aborted);
    }
  }

  /**
   * Reads a long-running operation's monitor URL (e.g. a copy's). Like a download URL it is
   * pre-authenticated and may be on another host, so it is fetched without our token.
   */
  async monitor(url: string): Promise<unknown> {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      throw new DomainError('unavailable', 'graph.badMonitor', 'Microsoft Graph gave an unusable monitor URL. Retry in a moment.');
    }
    if (target.protocol !== 'https:' && target.protocol !== this.baseUrl.protocol) {
      throw new DomainError('unavailable', 'graph.badMonitor', 'Microsoft Graph gave an unusable monitor URL. Retry in a moment.');
    }
    const deadline = AbortSignal.timeout(this.options.timeoutMs);
    try {
      const res = await this.http.send(target, { method: 'GET', headers: { accept: 'application/json' }, signal: deadline });
      // 303 See Other points at the finished item; its id is all we need and is in the status body too.
      if (!isOk(res) && res.statusCode !== 303) throw await this.graphError(res);
      return parseJson<unknown>(await readCapped(res, 64 * 1024, false), res.statusCode ?? 0);
    } catch (err) {
      if (isDomainError(err)) throw err;
      throw mapTransportError(err, deadline.aborted);
    }
  }

  /**
   * Graph answers `/content` with 302 to a pre-authenticated URL on another host. That URL needs no
   * token, and our token must not leak to it, so we follow by hand without Authorization.
   */
  private async followDownload(res: IncomingMessage, from: URL, signal: AbortSignal, headers: Record<string, string> = {}): Promise<IncomingMessage> {
    const location = res.headers.location;
    await discard(res);
    let target: URL | undefined;
    try {
      target = location === undefined ? undefined : new URL(location, from);
    } catch {
      target = undefined;
    }
    // Only https, or http when Graph itself is http (a local sandbox): never file:, data:, etc.
    if (target === undefined || (target.protocol !== 'https:' && target.protocol !== this.baseUrl.protocol)) {
      throw new DomainError('unavailable', 'graph.badRedirect', 'Microsoft Graph redirected the download to an unusable location. Retry in a moment.', {
        httpStatus: res.statusCode,
      });
    }
    const next = await this.http.send(target, { method: 'GET', headers, signal });
    if (isRedirect(next)) {
      await discard(next);
      throw new DomainError('unavailable', 'graph.tooManyRedirects', 'The download was redirected more than once. Retry in a moment.', {
        httpStatus: next.statusCode,
      });
    }
    return next;
  }

  /** A non-2xx answer as a DomainError; Graph's error body says why (only its start is read). */
  private async graphError(res: IncomingMessage): Promise<DomainError> {
    const bodyText = new TextDecoder().decode(await readCapped(res, 64 * 1024, true));
    return mapGraphError({ status: res.statusCode ?? 0, headers: headersOf(res), bodyText, nowMs: this.clock.now() });
  }
}

const isOk = (res: IncomingMessage): boolean => res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300;
const isRedirect = (res: IncomingMessage): boolean => res.statusCode !== undefined && res.statusCode >= 300 && res.statusCode < 400;

/** Reads a body up to `max` bytes; beyond it fails (or, for error bodies, just stops reading). */
async function readCapped(res: IncomingMessage, max: number, truncate: boolean): Promise<Uint8Array> {
  const declared = Number(res.headers['content-length'] ?? NaN);
  if (!truncate && Number.isFinite(declared) && declared > max) {
    res.destroy();
    throw tooLarge(max);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    total += chunk.byteLength;
    if (total > max) {
      // The rest is not worth reading: this connection is not reused.
      res.destroy();
      if (truncate) break;
      throw tooLarge(max);
    }
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

function tooLarge(max: number): DomainError {
  return payloadTooLarge('graph.responseTooLarge', `The response from Microsoft Graph is larger than ${max} bytes, the most this server accepts.`);
}

function parseJson<T>(bytes: Uint8Array, status: number): T {
  if (bytes.byteLength === 0) return undefined as T;
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as T;
  } catch (cause) {
    throw new DomainError('unavailable', 'graph.badResponse', 'Microsoft Graph sent a response that could not be read. Retry in a moment.', {
      httpStatus: status,
      cause,
    });
  }
}
