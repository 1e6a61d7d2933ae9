import { Readable } from 'node:stream';

/**
 * A request body as pieces. On Node the socket stream is read directly: its backpressure holds
 * the client back while the gateway is busy, and it skips the web-stream wrapper, which costs a
 * promise and a copy per 64 KiB piece and may buffer ahead. Elsewhere (tests calling app.request)
 * the web stream.
 */
export function bodyPieces(request: Request, env: unknown): AsyncIterable<Uint8Array> {
  const incoming = (env as { incoming?: unknown } | undefined)?.incoming;
  if (incoming instanceof Readable) return incoming;
  return request.body === null ? empty() : iterate(request.body);
}

/**
 * The whole body in one buffer, or null when it is over `maxBytes`: a declared Content-Length
 * over the limit is refused before reading, an undeclared length as soon as the limit is passed
 * (the rest is left to the server, which drains or closes). With a declared length the pieces are
 * copied once, into a buffer of that size.
 */
export async function readBodyBytes(request: Request, env: unknown, maxBytes: number): Promise<Buffer | null> {
  const header = request.headers.get('content-length');
  const declared = header === null || request.headers.has('transfer-encoding') ? undefined : Number(header);
  if (declared !== undefined && (!Number.isSafeInteger(declared) || declared < 0)) return null;
  if (declared !== undefined && declared > maxBytes) return null;
  const pieces: Uint8Array[] = [];
  const whole = declared === undefined ? undefined : Buffer.allocUnsafe(declared);
  let received = 0;
  // Not `for await`: leaving that loop early would destroy the socket before the 413 is sent.
  const iterator = bodyPieces(request, env)[Symbol.asyncIterator]();
  for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) {
    const piece = next.value;
    if (received + piece.byteLength > (declared ?? maxBytes)) return null;
    if (whole === undefined) pieces.push(piece);
    else whole.set(piece, received);
    received += piece.byteLength;
  }
  if (whole !== undefined) return received === declared ? whole : whole.subarray(0, received);
  return Buffer.concat(pieces, received);
}

async function* iterate(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

async function* empty(): AsyncGenerator<Uint8Array> {
  // No body: nothing to read.
}
