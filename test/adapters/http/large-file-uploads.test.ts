import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededUser } from '../../../src/adapters/sandbox/seed.js';
import type { UploadStatus } from '../../../src/domain/upload-session.js';
import type { RunningGateway } from '../../../src/app/gateway.js';
import { callError, callOk, connectClient, startTestGateway } from '../../support/gateway.js';
import { generatedBytes, generatedPieces, putBinary, sha256OfGenerated } from '../../support/generated-bytes.js';
import { sendChunks, startUpload, storedSha } from '../../support/uploads.js';

const UNIT = 327_680;
const MB100 = 100 * 1000 * 1000;
let gateway: RunningGateway;
let megan: Client;
let lee: Client;
const meganUser = seededUser('megan');
const token = (): string => gateway.devToken({ tenantId: meganUser.tenantId, objectId: meganUser.id });

beforeAll(async () => {
  gateway = await startTestGateway({ UPLOAD_MAX_FILE_BYTES: String(200 * 1000 * 1000) });
  megan = await connectClient(gateway, 'megan');
  lee = await connectClient(gateway, 'lee gu');
});
afterAll(async () => {
  await megan.close();
  await lee.close();
  await gateway.close();
});

const sandbox = (): NonNullable<RunningGateway['sandbox']> => gateway.sandbox as NonNullable<RunningGateway['sandbox']>;
const uploadPuts = (): number =>
  Object.entries(sandbox().stats.snapshot().routes)
    .filter(([key]) => key.startsWith('PUT /_sandbox/upload/'))
    .reduce((n, [, r]) => n + r.count, 0);

describe('uploads through files_upload_chunk', () => {
  it.each([1, UNIT, UNIT + 1, 3 * UNIT + 77])('stores %i bytes exactly', async (size) => {
    const started = await startUpload(megan, `tools-${size}.bin`, size);
    expect(started).toMatchObject({ status: 'active', nextOffset: 0, size, uploadPath: `/uploads/${started.uploadId}` });
    const done = await sendChunks(megan, started.uploadId, size, size, UNIT);
    expect(done.status).toBe('completed');
    expect(done.item?.size).toBe(size);
    expect(storedSha(sandbox(), 'megan', done.item?.id ?? '')).toBe(sha256OfGenerated(size, size));
  });

  it('buffers unaligned chunks to 320 KiB units, so odd chunk sizes work', async () => {
    const size = 2 * UNIT + 5;
    const started = await startUpload(megan, 'odd-chunks.bin', size);
    const status = await sendChunks(megan, started.uploadId, size, 9, 100_001);
    expect(status.status).toBe('completed');
    expect(storedSha(sandbox(), 'megan', status.item?.id ?? '')).toBe(sha256OfGenerated(size, 9));
  });

  it('stores 100 MB sent as base64 chunks', { timeout: 60_000 }, async () => {
    const started = await startUpload(megan, 'hundred-tools.bin', MB100);
    expect(started.chunkBytes % UNIT).toBe(0);
    const done = await sendChunks(megan, started.uploadId, MB100, 100, started.chunkBytes);
    expect(done.status).toBe('completed');
    expect(storedSha(sandbox(), 'megan', done.item?.id ?? '')).toBe(sha256OfGenerated(MB100, 100));
  });

  it('is idempotent on (upload, offset): a repeated chunk is not sent again', async () => {
    const size = 2 * UNIT;
    const started = await startUpload(megan, 'repeat.bin', size);
    const chunk = generatedBytes(UNIT, 5).toString('base64');
    const first = await callOk<UploadStatus>(megan, 'files_upload_chunk', { uploadId: started.uploadId, offset: 0, content: chunk });
    const puts = uploadPuts();
    const again = await callOk<UploadStatus>(megan, 'files_upload_chunk', { uploadId: started.uploadId, offset: 0, content: chunk });
    expect(again).toEqual(first);
    expect(uploadPuts()).toBe(puts);
  });
});

describe('uploads through PUT /uploads/{id}', () => {
  it.each([1, UNIT, UNIT + 1])('stores %i bytes exactly', async (size) => {
    const started = await startUpload(megan, `binary-${size}.bin`, size);
    const res = await putBinary(`${gateway.url}${started.uploadPath}`, generatedPieces(size, size + 1), { token: token(), contentLength: size });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'completed', nextOffset: size });
    const item = res.body.item as { id: string };
    expect(storedSha(sandbox(), 'megan', item.id)).toBe(sha256OfGenerated(size, size + 1));
  });

  it('streams 100 MB into aligned fragments', { timeout: 60_000 }, async () => {
    const started = await startUpload(megan, 'hundred-binary.bin', MB100);
    const res = await putBinary(`${gateway.url}${started.uploadPath}`, generatedPieces(MB100, 101, 256 * 1024), { token: token(), contentLength: MB100 });
    expect(res.status).toBe(200);
    const item = res.body.item as { id: string; size: number };
    expect(item.size).toBe(MB100);
    expect(storedSha(sandbox(), 'megan', item.id)).toBe(sha256OfGenerated(MB100, 101));
  });

  it('answers 401 without the bearer token and not_found for another user', async () => {
    const started = await startUpload(megan, 'private.bin', 10);
    expect((await putBinary(`${gateway.url}${started.uploadPath}`, [Buffer.alloc(10)], { token: 'nope' })).status).toBe(401);
    const lees = gateway.devToken({ tenantId: seededUser('lee gu').tenantId, objectId: seededUser('lee gu').id });
    const other = await putBinary(`${gateway.url}${started.uploadPath}`, [Buffer.alloc(10)], { token: lees });
    expect(other.status).toBe(404);
    expect(other.body).toMatchObject({ error: { category: 'not_found', code: 'upload.notFound' } });
  });

  it('refuses a Content-Range whose total differs from the declared size, and a wrong offset', async () => {
    const started = await startUpload(megan, 'ranges.bin', 2 * UNIT);
    const url = `${gateway.url}${started.uploadPath}`;
    const total = await putBinary(url, [Buffer.alloc(UNIT)], { token: token(), contentRange: `bytes 0-${UNIT - 1}/${3 * UNIT}` });
    expect(total.body).toMatchObject({ error: { code: 'upload.sizeChanged' } });
    const ahead = await putBinary(url, [Buffer.alloc(UNIT)], { token: token(), contentRange: `bytes ${UNIT}-${2 * UNIT - 1}/${2 * UNIT}` });
    expect(ahead.status).toBe(400);
    expect(ahead.body).toMatchObject({ error: { code: 'upload.wrongOffset' } });
  });
});

describe('bad input', () => {
  it('refuses negative, zero and over-quota sizes, and names OneDrive cannot hold', async () => {
    const start = (name: string, size: number): Promise<{ category: string; code: string }> =>
      callError(megan, 'files_upload_start', { folder: '/Uploads', name, size });
    expect(await start('a.bin', -1)).toMatchObject({ category: 'invalid_input', code: 'upload.invalidSize' });
    expect(await start('a.bin', 0)).toMatchObject({ category: 'invalid_input', code: 'upload.emptyFile' });
    expect(await start('a.bin', 200 * 1000 * 1000 + 1)).toMatchObject({ category: 'payload_too_large', code: 'upload.tooLarge' });
    for (const name of ['dir/a.bin', '..', 'a\\b.bin', 'x:y.bin', 'CON', 'what?.txt', 'trailing.']) {
      expect(await start(name, 10)).toMatchObject({ category: 'invalid_input', code: 'files.invalidName' });
    }
    expect((await callError(megan, 'files_upload_start', { folder: '/../etc', name: 'a.bin', size: 10 })).code).toBe('files.invalidPath');
  });

  it('refuses a wrong offset, a negative offset, a chunk past the size and a chunk after completion', async () => {
    const started = await startUpload(megan, 'offsets.bin', UNIT + 10);
    const chunk = (offset: number, bytes: number): Promise<{ category: string; code: string; message: string }> =>
      callError(megan, 'files_upload_chunk', { uploadId: started.uploadId, offset, content: Buffer.alloc(bytes).toString('base64') });
    expect(await chunk(5, 10)).toMatchObject({ category: 'invalid_input', code: 'upload.wrongOffset' });
    expect((await chunk(5, 10)).message).toContain('offset 0');
    expect(await chunk(-1, 10)).toMatchObject({ category: 'invalid_input' });
    expect(await chunk(0, UNIT + 11)).toMatchObject({ category: 'invalid_input', code: 'upload.beyondSize' });
    const last = Buffer.alloc(UNIT + 10, 7).toString('base64');
    const done = await callOk<UploadStatus>(megan, 'files_upload_chunk', { uploadId: started.uploadId, offset: 0, content: last });
    expect(done.status).toBe('completed');
    // Replaying the final chunk answers as before; new bytes after the end are refused.
    expect(await callOk<UploadStatus>(megan, 'files_upload_chunk', { uploadId: started.uploadId, offset: 0, content: last })).toEqual(done);
    expect(await chunk(UNIT + 10, 1)).toMatchObject({ category: 'conflict', code: 'upload.alreadyCompleted' });
  });

  it("treats another user's upload id like an unknown one", async () => {
    const started = await startUpload(megan, 'megans.bin', 10);
    for (const tool of ['files_upload_status', 'files_upload_cancel']) {
      expect(await callError(lee, tool, { uploadId: started.uploadId })).toMatchObject({ category: 'not_found', code: 'upload.notFound' });
    }
    expect(await callError(lee, 'files_upload_chunk', { uploadId: started.uploadId, offset: 0, content: 'AAAA' })).toMatchObject({ code: 'upload.notFound' });
    expect(await callError(megan, 'files_upload_status', { uploadId: 'up_doesnotexist0000000000' })).toMatchObject({ code: 'upload.notFound' });
    expect(await callError(megan, 'files_upload_status', { uploadId: '../../etc' })).toMatchObject({ code: 'upload.invalidId' });
  });

  it('caps inline content in any tool argument and points to the upload tools', async () => {
    const big = 'A'.repeat(6 * 1024 * 1024);
    const viaUpload = await callError(megan, 'files_upload', { name: 'x.txt', content: big });
    expect(viaUpload).toMatchObject({ category: 'payload_too_large', code: 'input.inlineContentTooLarge' });
    expect(viaUpload.message).toContain('files_upload_start');
    const started = await startUpload(megan, 'capped.bin', 10 * 1024 * 1024);
    expect(await callError(megan, 'files_upload_chunk', { uploadId: started.uploadId, offset: 0, content: big })).toMatchObject({ category: 'payload_too_large' });
  });

  it('answers an oversize /mcp body with 413 naming the upload route', async () => {
    const res = await fetch(gateway.mcpUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${token()}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: 'x'.repeat(9 * 1024 * 1024),
    });
    expect(res.status).toBe(413);
    const body = (await res.json()) as { error: { message: string; data: { category: string } } };
    expect(body.error.data.category).toBe('payload_too_large');
    expect(body.error.message).toContain('/uploads/');
  });
});

describe('session lifecycle', () => {
  it('reports an expired session clearly and asks to start over', async () => {
    const started = await startUpload(megan, 'expires.bin', 2 * UNIT);
    await sendChunks(megan, started.uploadId, UNIT, 3, UNIT);
    sandbox().uploadSessions.expire();
    const error = await callError(megan, 'files_upload_chunk', { uploadId: started.uploadId, offset: UNIT, content: generatedBytes(UNIT, 4).toString('base64') });
    expect(error).toMatchObject({ category: 'not_found', code: 'upload.expired' });
    expect(error.message).toContain('files_upload_start');
    expect(await callOk<UploadStatus>(megan, 'files_upload_status', { uploadId: started.uploadId })).toMatchObject({ status: 'expired' });
  });

  it('cancels: OneDrive drops the session, and cancelling again is harmless', async () => {
    const started = await startUpload(megan, 'cancel.bin', 2 * UNIT);
    await sendChunks(megan, started.uploadId, UNIT, 3, UNIT);
    const open = sandbox().uploadSessions.size;
    expect(await callOk<UploadStatus>(megan, 'files_upload_cancel', { uploadId: started.uploadId })).toMatchObject({ status: 'cancelled' });
    expect(sandbox().uploadSessions.size).toBe(open - 1);
    expect(await callOk<UploadStatus>(megan, 'files_upload_cancel', { uploadId: started.uploadId })).toMatchObject({ status: 'cancelled' });
    expect(await callError(megan, 'files_upload_chunk', { uploadId: started.uploadId, offset: UNIT, content: 'AAAA' })).toMatchObject({ code: 'upload.cancelled' });
  });

  it('fails with a clear conflict when the name was taken before completion and conflict is "fail"', async () => {
    const a = await startUpload(megan, 'taken-later.txt', 5, 'fail');
    const b = await startUpload(megan, 'taken-later.txt', 6, 'replace');
    await callOk(megan, 'files_upload_chunk', { uploadId: b.uploadId, offset: 0, content: Buffer.from('winner').toString('base64') });
    const error = await callError(megan, 'files_upload_chunk', { uploadId: a.uploadId, offset: 0, content: Buffer.from('loser').toString('base64') });
    expect(error).toMatchObject({ category: 'conflict', code: 'upload.nameConflict' });
  });
});
