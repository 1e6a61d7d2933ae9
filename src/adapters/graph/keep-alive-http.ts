import http from 'node:http';
import type { IncomingMessage } from 'node:http';
import https from 'node:https';
import { finished } from 'node:stream/promises';

export interface HttpRequestInit {
  method: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  signal: AbortSignal;
}

/**
 * HTTP/1.1 over pooled keep-alive connections, with node:http. Not global fetch: its WHATWG objects
 * (Request, Headers, web streams) cost two to three times the CPU per request, the largest single
 * cost of a tool call in the gateway's profile. Redirects are never followed here.
 */
/**
 * Idle connections are closed after 3 s, at the latest 1 s before the server's Keep-Alive hint
 * (Node's own rule): a connection the server closes while idle is one a request may be written to.
 * undici, behind fetch, keeps the same margin. Affects idle connections only: an agent timeout
 * merely notifies a request in flight, our deadline (the signal) governs it.
 */
const IDLE_MS = 3_000;

/** Methods that may be sent again when the first attempt provably never got an answer (RFC 9110 §9.2.2). */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

export class KeepAliveHttp {
  private readonly agents = {
    'http:': new http.Agent({ keepAlive: true, timeout: IDLE_MS }),
    'https:': new https.Agent({ keepAlive: true, timeout: IDLE_MS }),
  };

  /** Resolves with the response head; its body is the caller's to read or discard. */
  async send(url: URL, init: HttpRequestInit): Promise<IncomingMessage> {
    // A pooled connection that fails at once with a reset may have been closed by the server while
    // idle. An idempotent request is sent again then, as undici does and Node's http documentation
    // shows (request.reusedSocket); others are not: the server may have acted before the reset.
    // Each failure drops one pooled connection, so this ends at the latest on a new connection.
    for (;;) {
      try {
        return await this.sendOnce(url, init);
      } catch (error) {
        if (!(error instanceof StaleConnection) || !IDEMPOTENT.has(init.method)) throw error instanceof StaleConnection ? error.cause : error;
      }
    }
  }

  private sendOnce(url: URL, init: HttpRequestInit): Promise<IncomingMessage> {
    const { body, signal } = init;
    const headers = body === undefined ? init.headers : { ...init.headers, 'content-length': String(Buffer.byteLength(body)) };
    const send = url.protocol === 'https:' ? https.request : http.request;
    return new Promise((resolve, reject) => {
      const req = send(url, { method: init.method, headers, signal, agent: this.agents[url.protocol as 'http:' | 'https:'] }, resolve);
      req.on('error', (error: NodeJS.ErrnoException) =>
        reject(req.reusedSocket && error.code === 'ECONNRESET' && !signal.aborted ? new StaleConnection(error) : error),
      );
      req.end(body);
    });
  }
}

class StaleConnection extends Error {
  constructor(override readonly cause: Error) {
    super('pooled connection closed by the server', { cause });
  }
}

/**
 * Drains a body we do not need, so the connection is back in the pool before the next call. A
 * failure while draining changes nothing about the answer already read from the head.
 */
export async function discard(res: IncomingMessage): Promise<void> {
  res.resume();
  await finished(res).catch(() => undefined);
}

/** The response head as WHATWG Headers (error mapping and streamed downloads speak that). */
export function headersOf(res: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return headers;
}
