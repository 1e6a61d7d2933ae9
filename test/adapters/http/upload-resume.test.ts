import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryUploadSessionStore } from '../../../src/adapters/memory/in-memory-upload-session-store.js';
import { startSandbox, type RunningSandbox } from '../../../src/adapters/sandbox/sandbox-server.js';
import { seededUser } from '../../../src/adapters/sandbox/seed.js';
import type { UploadStatus } from '../../../src/domain/upload-session.js';
import { loadConfig } from '../../../src/app/config.js';
import { startGateway, type RunningGateway } from '../../../src/app/gateway.js';
import { TOKENS } from '../../../src/app/tokens.js';
import type { UploadSessionStore } from '../../../src/ports/upload-session-store.js';
import { callOk, connectClient } from '../../support/gateway.js';
import { generatedPieces, putBinary, sha256OfGenerated } from '../../support/generated-bytes.js';
import { MACHINE_REDIS_URL } from '../../support/redis.js';
import { sendChunks, startUpload, storedSha } from '../../support/uploads.js';

const UNIT = 327_680;
const SECRET = 'resume-test-secret-0123456789abcdef';
const megan = seededUser('megan');
let sandbox: RunningSandbox;
const store = new InMemoryUploadSessionStore({ now: () => Date.now() });
// Replicas sharing upload sessions share the key that seals their upload URLs.
const SHARED_KEY = `k1:${randomBytes(32).toString('base64')}`;

/** A gateway on the shared sandbox and the shared upload store (in-memory, or Redis when given): a replica. */
function replica(redis?: { url: string; prefix: string }): Promise<RunningGateway> {
  const config = loadConfig({
    ...(redis ? { REDIS_URL: redis.url, REDIS_KEY_PREFIX: redis.prefix } : {}),
    LOCAL_ENCRYPTION_KEYS: SHARED_KEY,
    PORT: '0',
    NODE_ENV: 'test',
    SANDBOX_SECRET: SECRET,
    SANDBOX_EMBEDDED: 'false',
    GRAPH_BASE_URL: `${sandbox.url}/v1.0`,
    UPLOAD_FRAGMENT_BYTES: String(4 * UNIT),
  });
  return startGateway(config, redis ? {} : { uploadSessionStore: store });
}

const puts = (): number =>
  Object.entries(sandbox.stats.snapshot().routes)
    .filter(([key]) => key.startsWith('PUT /_sandbox/upload/'))
    .reduce((n, [, r]) => n + r.count, 0);

beforeAll(async () => {
  sandbox = await startSandbox({ tokenSecret: SECRET });
});
afterAll(async () => {
  await sandbox.close();
});

describe('resuming uploads', () => {
  let gateway: RunningGateway;
  let client: Client;
  const token = (): string => gateway.devToken({ tenantId: megan.tenantId, objectId: megan.id });
  beforeAll(async () => {
    gateway = await replica();
    client = await connectClient(gateway, 'megan');
  });
  afterAll(async () => {
    await client.close();
    await gateway.close();
  });

  it('continues a binary upload after the client connection was killed mid-body', async () => {
    const size = 8 * 1024 * 1024 + 123;
    const started = await startUpload(client, 'killed-client.bin', size);
    const url = `${gateway.url}${started.uploadPath}`;
    const status = async (): Promise<UploadStatus> =>
      (await (await fetch(url, { headers: { authorization: `Bearer ${token()}` } })).json()) as UploadStatus;
    // Kill the client once OneDrive has some fragments: the kill then lands mid-body, mid-upload.
    const progressed = async (): Promise<void> => {
      while ((await status()).nextOffset < 2 * 4 * UNIT) await new Promise((r) => setTimeout(r, 20));
    };
    await expect(
      putBinary(url, generatedPieces(size, 21, 64 * 1024), { token: token(), contentLength: size, abortAfterBytes: 5 * 1024 * 1024, beforeAbort: progressed }),
    ).rejects.toThrow();
    // The fragment in flight when the client vanished still lands; wait until the state settles.
    let settled = await status();
    for (let i = 0; i < 50; i++) {
      await new Promise((r) => setTimeout(r, 300));
      const next = await status();
      if (next.nextOffset === settled.nextOffset) break;
      settled = next;
    }
    const from = settled.nextOffset;
    expect(from).toBeGreaterThan(0);
    expect(from).toBeLessThanOrEqual(5 * 1024 * 1024);
    expect(from % (4 * UNIT)).toBe(0);
    const res = await putBinary(url, generatedPieces(size, 21, 64 * 1024, from), { token: token(), contentRange: `bytes ${from}-${size - 1}/${size}` });
    expect(res.status).toBe(200);
    expect(storedSha(sandbox, 'megan', (res.body.item as { id: string }).id)).toBe(sha256OfGenerated(size, 21));
  });

  it('recovers when OneDrive resets the connection mid-fragment: asks nextExpectedRanges and resends', async () => {
    const size = 3 * UNIT + 9;
    const started = await startUpload(client, 'reset-mid-chunk.bin', size);
    await sendChunks(client, started.uploadId, UNIT, 31, UNIT);
    const before = puts();
    sandbox.faults.set({ resetRate: 1, method: 'PUT', pathPattern: '^/_sandbox/upload/', count: 1 });
    const done = await sendChunks(client, started.uploadId, size, 31, 2 * UNIT + 9, UNIT);
    expect(done.status).toBe('completed');
    expect(puts() - before).toBe(2); // the reset attempt and its resend
    expect(storedSha(sandbox, 'megan', done.item?.id ?? '')).toBe(sha256OfGenerated(size, 31));
  });

  it('recovers when the fragment landed but the answer was lost (reset after the handler)', async () => {
    const size = 12 * UNIT;
    const started = await startUpload(client, 'lost-ack.bin', size);
    sandbox.faults.set({ resetRate: 1, method: 'PUT', pathPattern: '^/_sandbox/upload/', count: 1, phase: 'after' });
    const res = await putBinary(`${gateway.url}${started.uploadPath}`, generatedPieces(size, 41), { token: token(), contentLength: size });
    expect(res.status).toBe(200);
    expect(storedSha(sandbox, 'megan', (res.body.item as { id: string }).id)).toBe(sha256OfGenerated(size, 41));
  });
});

describe('a second gateway continues an upload the first one started', () => {
  it('picks up the stored state, unaligned tail included, through both ways in', async () => {
    const size = 6 * UNIT + 500;
    const first = await replica();
    const firstClient = await connectClient(first, 'megan');
    const started = await startUpload(firstClient, 'two-replicas.bin', size);
    // 1.5 units: one unit goes to OneDrive, half a unit waits in the shared store.
    await sendChunks(firstClient, started.uploadId, UNIT + UNIT / 2, 51, UNIT + UNIT / 2);
    await firstClient.close();
    await first.close();

    const second = await replica();
    try {
      const secondClient = await connectClient(second, 'megan');
      const status = await callOk<UploadStatus>(secondClient, 'files_upload_status', { uploadId: started.uploadId });
      expect(status).toMatchObject({ status: 'active', nextOffset: UNIT + UNIT / 2, committedBytes: UNIT });
      const mid = 3 * UNIT;
      await sendChunks(secondClient, started.uploadId, mid, 51, mid - status.nextOffset, status.nextOffset);
      const token = second.devToken({ tenantId: megan.tenantId, objectId: megan.id });
      const res = await putBinary(`${second.url}${started.uploadPath}`, generatedPieces(size, 51, 100_000, mid), { token, contentRange: `bytes ${mid}-${size - 1}/${size}` });
      expect(res.status).toBe(200);
      expect(storedSha(sandbox, 'megan', (res.body.item as { id: string }).id)).toBe(sha256OfGenerated(size, 51));
      await secondClient.close();
    } finally {
      await second.close();
    }
  });
});

describe('replicas sharing Redis', () => {
  it('continue each other\'s uploads through the Redis upload store', async () => {
    const redis = { url: MACHINE_REDIS_URL, prefix: `test:${randomUUID()}:` };
    const size = 2 * UNIT + 3;
    const first = await replica(redis);
    const firstClient = await connectClient(first, 'megan');
    const started = await startUpload(firstClient, 'redis-replicas.bin', size);
    await sendChunks(firstClient, started.uploadId, UNIT + 100, 71, UNIT + 100);
    // The upload URL is a bearer capability: Redis holds it sealed, never in clear.
    const open = await first.container.get<UploadSessionStore>(TOKENS.UploadSessionStore).get(started.uploadId);
    expect(open?.uploadUrl).toContain('/_sandbox/upload/');
    await firstClient.close();
    await first.close();
    const second = await replica(redis);
    const raw = new Redis(MACHINE_REDIS_URL);
    try {
      const keys = await raw.keys(`${redis.prefix}*`);
      expect(keys).toContain(`${redis.prefix}upl:${started.uploadId}`);
      const stored = (await Promise.all(keys.map((k) => raw.getBuffer(k).catch(() => null)))).map((v) => v?.toString('latin1') ?? '').join('\n');
      expect(stored).toContain(started.uploadId);
      expect(stored).not.toContain('/_sandbox/upload/');
      expect(stored).not.toContain(new URL(open?.uploadUrl ?? '').pathname.split('/').pop());
      const secondClient = await connectClient(second, 'megan');
      const status = await callOk<UploadStatus>(secondClient, 'files_upload_status', { uploadId: started.uploadId });
      expect(status).toMatchObject({ nextOffset: UNIT + 100, committedBytes: UNIT });
      const done = await sendChunks(secondClient, started.uploadId, size, 71, size, status.nextOffset);
      expect(storedSha(sandbox, 'megan', done.item?.id ?? '')).toBe(sha256OfGenerated(size, 71));
      await secondClient.close();
    } finally {
      await second.close();
      const keys = await raw.keys(`${redis.prefix}*`);
      if (keys.length > 0) await raw.del(...keys);
      raw.disconnect();
    }
  });
});
