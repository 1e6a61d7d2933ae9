import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededUser } from '../../../src/adapters/sandbox/seed.js';
import type { RunningGateway } from '../../../src/app/gateway.js';
import { callOk, connectClient, startTestGateway } from '../../support/gateway.js';
import { generatedBytes, generatedPieces, putBinary, sha256, sha256OfGenerated } from '../../support/generated-bytes.js';
import { startUpload } from '../../support/uploads.js';

const CAP = 64 * 1024;
const SIZE = 3 * 1024 * 1024 + 7;
let gateway: RunningGateway;
let client: Client;
let itemId: string;
const tokenOf = (name: string): string => {
  const user = seededUser(name);
  return gateway.devToken({ tenantId: user.tenantId, objectId: user.id });
};

beforeAll(async () => {
  gateway = await startTestGateway({ INLINE_CONTENT_MAX_BYTES: String(CAP) });
  client = await connectClient(gateway, 'megan');
  const started = await startUpload(client, 'big-download.bin', SIZE);
  const res = await putBinary(`${gateway.url}${started.uploadPath}`, generatedPieces(SIZE, 61), { token: tokenOf('megan'), contentLength: SIZE });
  itemId = (res.body.item as { id: string }).id;
});
afterAll(async () => {
  await client.close();
  await gateway.close();
});

interface Downloaded {
  encoding: string;
  content: string;
  downloadUrl?: string;
  expiresAt?: string;
}

describe('files_download over the inline cap', () => {
  it('returns a short-lived link that streams the whole file to the same user', async () => {
    const result = await callOk<Downloaded>(client, 'files_download', { itemId });
    expect(result).toMatchObject({ encoding: 'link', content: '' });
    expect(result.downloadUrl?.startsWith(`${gateway.url}/downloads/`)).toBe(true);
    expect(Date.parse(result.expiresAt ?? '') - Date.now()).toBeLessThanOrEqual(300_000);
    const res = await fetch(result.downloadUrl ?? '', { headers: { authorization: `Bearer ${tokenOf('megan')}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(SIZE));
    expect(res.headers.get('content-disposition')).toContain('big-download.bin');
    expect(res.headers.get('cache-control')).toContain('no-store');
    expect(sha256(new Uint8Array(await res.arrayBuffer()))).toBe(sha256OfGenerated(SIZE, 61));
  });

  it('serves byte ranges (206) and refuses ranges past the end (416)', async () => {
    const { downloadUrl } = await callOk<Downloaded>(client, 'files_download', { itemId });
    const url = downloadUrl ?? '';
    const auth = { authorization: `Bearer ${tokenOf('megan')}` };
    const part = await fetch(url, { headers: { ...auth, range: 'bytes=1000000-1000099' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 1000000-1000099/${SIZE}`);
    const expected = generatedBytes(SIZE, 61).subarray(1_000_000, 1_000_100);
    expect(Buffer.from(await part.arrayBuffer()).equals(expected)).toBe(true);
    const beyond = await fetch(url, { headers: { ...auth, range: `bytes=${SIZE + 10}-` } });
    expect(beyond.status).toBe(416);
  });

  it('is bound to the user: no token 401, another user or a tampered token 404', async () => {
    const { downloadUrl } = await callOk<Downloaded>(client, 'files_download', { itemId });
    const url = downloadUrl ?? '';
    expect((await fetch(url)).status).toBe(401);
    const other = await fetch(url, { headers: { authorization: `Bearer ${tokenOf('lee gu')}` } });
    expect(other.status).toBe(404);
    expect(((await other.json()) as { error: { code: string } }).error.code).toBe('download.linkInvalid');
    const tampered = `${url.slice(0, -1)}${url.endsWith('A') ? 'B' : 'A'}`;
    expect((await fetch(tampered, { headers: { authorization: `Bearer ${tokenOf('megan')}` } })).status).toBe(404);
  });

  it('still returns small files inline', async () => {
    const started = await startUpload(client, 'small.txt', 11);
    const res = await putBinary(`${gateway.url}${started.uploadPath}`, [Buffer.from('hello world')], { token: tokenOf('megan'), contentLength: 11 });
    const small = await callOk<Downloaded>(client, 'files_download', { itemId: (res.body.item as { id: string }).id });
    expect(small).toMatchObject({ encoding: 'text', content: 'hello world' });
  });
});
