import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A KMS-compatible endpoint for tests: the JSON protocol (`X-Amz-Target: TrentService.*`) with
 * GenerateDataKey, Decrypt and Encrypt doing real AES-256-GCM under per-key master keys, the
 * encryption context bound as AAD (a different context fails like KMS does), and injectable throttling.
 */
export interface FakeKms {
  endpoint: string;
  /** Creates a key and returns its id. */
  createKey(id?: string): string;
  /** Answers the next `count` requests with `ThrottlingException`. */
  throttleNext(count: number): void;
  /** Requests received, by operation. */
  calls: Record<string, number>;
  close(): Promise<void>;
}

const ARN_PREFIX = 'arn:aws:kms:us-east-1:000000000000:key/';

class KmsError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export async function startFakeKms(): Promise<FakeKms> {
  const keys = new Map<string, Buffer>();
  const calls: Record<string, number> = {};
  let throttle = 0;

  const keyIdOf = (keyId: unknown): string => {
    const id = String(keyId ?? '').replace(ARN_PREFIX, '');
    if (!keys.has(id)) throw new KmsError('NotFoundException', `Key '${id}' does not exist`);
    return id;
  };
  const aad = (context: unknown): Buffer => {
    const entries = Object.entries((context ?? {}) as Record<string, string>).sort(([a], [b]) =>
      a.localeCompare(b),
    );
    return Buffer.from(JSON.stringify(entries));
  };
  // Blob: [1 byte id length][id][12 iv][16 tag][ciphertext]
  const seal = (id: string, plaintext: Buffer, context: unknown): Buffer => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', keys.get(id) as Buffer, iv);
    cipher.setAAD(aad(context));
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const idBytes = Buffer.from(id);
    return Buffer.concat([Buffer.from([idBytes.length]), idBytes, iv, cipher.getAuthTag(), ciphertext]);
  };
  const open = (blob: Buffer, context: unknown): { id: string; plaintext: Buffer } => {
    try {
      const idLength = blob.readUInt8(0);
      const id = blob.subarray(1, 1 + idLength).toString();
      const key = keys.get(id);
      if (key === undefined) throw new Error('unknown key');
      const iv = blob.subarray(1 + idLength, 13 + idLength);
      const tag = blob.subarray(13 + idLength, 29 + idLength);
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAAD(aad(context));
      decipher.setAuthTag(tag);
      return {
        id,
        plaintext: Buffer.concat([decipher.update(blob.subarray(29 + idLength)), decipher.final()]),
      };
    } catch {
      throw new KmsError(
        'InvalidCiphertextException',
        'The ciphertext is invalid or does not match its encryption context',
      );
    }
  };

  const operations: Record<string, (body: Record<string, unknown>) => Record<string, unknown>> = {
    GenerateDataKey: (body) => {
      const id = keyIdOf(body.KeyId);
      if (body.KeySpec !== 'AES_256') throw new KmsError('ValidationException', 'KeySpec must be AES_256');
      const plaintext = randomBytes(32);
      return {
        KeyId: `${ARN_PREFIX}${id}`,
        Plaintext: plaintext.toString('base64'),
        CiphertextBlob: seal(id, plaintext, body.EncryptionContext).toString('base64'),
      };
    },
    Encrypt: (body) => {
      const id = keyIdOf(body.KeyId);
      const plaintext = Buffer.from(String(body.Plaintext), 'base64');
      return {
        KeyId: `${ARN_PREFIX}${id}`,
        CiphertextBlob: seal(id, plaintext, body.EncryptionContext).toString('base64'),
      };
    },
    Decrypt: (body) => {
      const { id, plaintext } = open(
        Buffer.from(String(body.CiphertextBlob), 'base64'),
        body.EncryptionContext,
      );
      return {
        KeyId: `${ARN_PREFIX}${id}`,
        Plaintext: plaintext.toString('base64'),
        EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      };
    },
  };

  const answer = (res: ServerResponse, status: number, payload: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(payload));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const operation = String(req.headers['x-amz-target'] ?? '').replace('TrentService.', '');
    calls[operation] = (calls[operation] ?? 0) + 1;
    if (throttle > 0) {
      throttle -= 1;
      answer(res, 400, { __type: 'ThrottlingException', message: 'Rate exceeded' });
      return;
    }
    const run = operations[operation];
    if (run === undefined) {
      answer(res, 400, { __type: 'UnsupportedOperationException', message: operation });
      return;
    }
    try {
      answer(res, 200, run(JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<string, unknown>));
    } catch (error) {
      if (error instanceof KmsError) answer(res, 400, { __type: error.type, message: error.message });
      else answer(res, 500, { __type: 'KMSInternalException', message: 'internal' });
    }
  };

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    createKey: (id = randomBytes(8).toString('hex')) => {
      keys.set(id, randomBytes(32));
      return id;
    },
    throttleNext: (count) => {
      throttle = count;
    },
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
