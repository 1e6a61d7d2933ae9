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
export class KeepAliveHttp {
  private readonly agents = {
    'http:': new http.Agent({ keepAlive: true }),
    'https:': new https.Agent({ keepAlive: true }),
  };

  /** Resolves with the response head; its body is the caller's to read or discard. */
  send(url: URL, init: HttpRequestInit): Promise<IncomingMessage> {
    const { body, signal } = init;
    const headers = body === undefined ? init.headers : { ...init.headers, 'content-length': String(Buffer.byteLength(body)) };
    const send = url.protocol === 'https:' ? https.request : http.request;
    return new Promise((resolve, reject) => {
      const req = send(url, { method: init.method, headers, signal, agent: this.agents[url.protocol as 'http:' | 'https:'] }, resolve);
      req.on('error', reject);
      req.end(body);
    });
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
