import { createCipheriv, createHash } from 'node:crypto';
import { request } from 'node:http';

const PIECE = 1024 * 1024;

/** Deterministic pseudo-random bytes (AES-CTR keystream of a seed), produced piece by piece, never whole. */
export function* generatedPieces(size: number, seed: number, pieceBytes = PIECE, from = 0): Generator<Buffer> {
  const key = createHash('sha256').update(`seed:${seed}`).digest().subarray(0, 16);
  const cipher = createCipheriv('aes-128-ctr', key, Buffer.alloc(16));
  // Skip to `from` (whole keystream blocks are cheap to discard).
  let position = 0;
  while (position < from) {
    const n = Math.min(pieceBytes, from - position);
    cipher.update(Buffer.alloc(n));
    position += n;
  }
  while (position < size) {
    const n = Math.min(pieceBytes, size - position);
    yield cipher.update(Buffer.alloc(n));
    position += n;
  }
}

export function generatedBytes(size: number, seed: number): Buffer {
  return Buffer.concat([...generatedPieces(size, seed)], size);
}

export function sha256OfGenerated(size: number, seed: number): string {
  const hash = createHash('sha256');
  for (const piece of generatedPieces(size, seed)) hash.update(piece);
  return hash.digest('hex');
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export interface BinaryPutOptions {
  token: string;
  contentRange?: string;
  contentLength?: number;
  /** Destroy the connection after writing this many body bytes (a killed client)... */
  abortAfterBytes?: number;
  /** ...once this resolves (e.g. when the server has made progress). */
  beforeAbort?: () => Promise<void>;
}

/** PUTs pieces as a binary body over node:http with backpressure; resolves with the status and JSON body. */
export function putBinary(url: string, pieces: Iterable<Buffer>, options: BinaryPutOptions): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { authorization: `Bearer ${options.token}`, 'content-type': 'application/octet-stream' };
    if (options.contentRange !== undefined) headers['content-range'] = options.contentRange;
    if (options.contentLength !== undefined) headers['content-length'] = String(options.contentLength);
    const req = request(url, { method: 'PUT', headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    const iterator = pieces[Symbol.iterator]();
    let written = 0;
    const pump = (): void => {
      for (;;) {
        const next = iterator.next();
        if (next.done) {
          req.end();
          return;
        }
        let piece = next.value;
        if (options.abortAfterBytes !== undefined && written + piece.length >= options.abortAfterBytes) {
          piece = piece.subarray(0, options.abortAfterBytes - written);
          req.write(piece);
          void (options.beforeAbort?.() ?? Promise.resolve()).then(() => req.destroy(new Error('client killed')));
          return;
        }
        written += piece.length;
        if (!req.write(piece)) {
          req.once('drain', pump);
          return;
        }
      }
    };
    pump();
  });
}
