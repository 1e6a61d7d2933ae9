import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededUser } from '../../../src/adapters/sandbox/seed.js';
import type { UploadStatus } from '../../../src/domain/upload-session.js';
import type { RunningGateway } from '../../../src/app/gateway.js';
import { callError, callOk, connectClient, startTestGateway } from '../../support/gateway.js';
import { generatedBytes, generatedPieces, putBinary, sha256, sha256OfGenerated } from '../../support/generated-bytes.js';
import { sendChunks } from '../../support/uploads.js';

/** Outlook attachment upload sessions through the MCP SDK client and PUT /uploads/{id}, against the sandbox. */

const MiB = 1024 * 1024;
const FIVE_MB = 5_000_000;
const JUST_OVER_4_MIB = 4 * MiB + 1;
let gateway: RunningGateway;
let megan: Client;
let lee: Client;
const meganUser = seededUser('megan');
const leeUser = seededUser('lee gu');
const tokenOf = (user: { tenantId: string; id: string }): string => gateway.devToken({ tenantId: user.tenantId, objectId: user.id });

beforeAll(async () => {
  gateway = await startTestGateway();
  megan = await connectClient(gateway, 'megan');
  lee = await connectClient(gateway, 'lee gu');
});
afterAll(async () => {
  await megan.close();
  await lee.close();
  await gateway.close();
});

const sandbox = (): NonNullable<RunningGateway['sandbox']> => gateway.sandbox as NonNullable<RunningGateway['sandbox']>;

interface AttachmentResult {
  id: string;
  name: string;
  size: number;
  contentType: string;
  contentBase64: string;
  downloadUrl?: string;
}

async function newDraft(client: Client, subject: string): Promise<string> {
  const draft = await callOk<{ id: string }>(client, 'mail_create_draft', { to: [leeUser.mail], subject, body: 'Attached.' });
  return draft.id;
}

interface StartedAttachment {
  uploadId: string;
  expiresAt: string;
  chunkBytes: number;
  uploadPath: string;
}

function startAttachment(client: Client, messageId: string, name: string, size: number): Promise<StartedAttachment> {
  return callOk<StartedAttachment>(client, 'mail_attachment_upload_start', { messageId, name, size, contentType: 'application/octet-stream' });
}

/** SHA-256 of an attachment's bytes read back through mail_get_attachment's download link. */
async function downloadedSha(client: Client, token: string, messageId: string, attachmentId: string): Promise<string> {
  const got = await callOk<AttachmentResult>(client, 'mail_get_attachment', { messageId, attachmentId });
  expect(got.contentBase64).toBe('');
  expect(got.downloadUrl?.startsWith(`${gateway.url}/downloads/`)).toBe(true);
  const res = await fetch(got.downloadUrl ?? '', { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-disposition')).toContain(encodeURIComponent(got.name));
  return sha256(new Uint8Array(await res.arrayBuffer()));
}

describe('attaching large files to a draft', () => {
  it.each([FIVE_MB, JUST_OVER_4_MIB])('attaches %i bytes sent as files_upload_chunk calls', async (size) => {
    const draftId = await newDraft(megan, `Chunks ${size}`);
    const started = await startAttachment(megan, draftId, `chunks-${size}.bin`, size);
    expect(started.uploadPath).toBe(`/uploads/${started.uploadId}`);
    expect(await callOk<UploadStatus>(megan, 'files_upload_status', { uploadId: started.uploadId })).toMatchObject({ status: 'active', nextOffset: 0, size });
    // Whole 320 KiB units within Outlook's 4 MiB per PUT.
    expect(started.chunkBytes).toBe(12 * 327_680);
    const done = await sendChunks(megan, started.uploadId, size, size, started.chunkBytes);
    expect(done.status).toBe('completed');
    expect(done.attachmentId).toBeDefined();
    const message = await callOk<{ hasAttachments: boolean; attachments?: Array<{ id: string; name: string; size: number }> }>(megan, 'mail_get_message', { messageId: draftId });
    expect(message.attachments).toContainEqual(expect.objectContaining({ id: done.attachmentId, name: `chunks-${size}.bin`, size }));
    expect(await downloadedSha(megan, tokenOf(meganUser), draftId, done.attachmentId ?? '')).toBe(sha256OfGenerated(size, size));
  });

  it('splits a 4 MiB chunk into PUTs Outlook accepts, keeping the rest for the next chunk', async () => {
    const draftId = await newDraft(megan, 'Full-cap chunk');
    const started = await startAttachment(megan, draftId, 'full-cap.bin', JUST_OVER_4_MIB);
    const bytes = generatedBytes(JUST_OVER_4_MIB, 44);
    const first = await callOk<UploadStatus>(megan, 'files_upload_chunk', { uploadId: started.uploadId, offset: 0, content: bytes.subarray(0, 4 * MiB).toString('base64') });
    expect(first).toMatchObject({ status: 'active', nextOffset: 4 * MiB, committedBytes: 12 * 327_680 });
    const last = await callOk<UploadStatus>(megan, 'files_upload_chunk', { uploadId: started.uploadId, offset: 4 * MiB, content: bytes.subarray(4 * MiB).toString('base64') });
    expect(last.status).toBe('completed');
    expect(await downloadedSha(megan, tokenOf(meganUser), draftId, last.attachmentId ?? '')).toBe(sha256(bytes));
  });

  it.each([FIVE_MB, JUST_OVER_4_MIB])('attaches %i bytes sent as one binary PUT /uploads/{id}', async (size) => {
    const draftId = await newDraft(megan, `Binary ${size}`);
    const started = await startAttachment(megan, draftId, `binary-${size}.bin`, size);
    const res = await putBinary(`${gateway.url}${started.uploadPath}`, generatedPieces(size, size + 7, 256 * 1024), { token: tokenOf(meganUser), contentLength: size });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'completed', nextOffset: size });
    const attachmentId = res.body.attachmentId as string;
    expect(await downloadedSha(megan, tokenOf(meganUser), draftId, attachmentId)).toBe(sha256OfGenerated(size, size + 7));
  });

  it('sends the draft with the attachment, which the recipient downloads intact (and only the recipient)', async () => {
    const subject = `Large attachment ${Date.now()}`;
    const draftId = await newDraft(megan, subject);
    const started = await startAttachment(megan, draftId, 'report.bin', FIVE_MB);
    await putBinary(`${gateway.url}${started.uploadPath}`, generatedPieces(FIVE_MB, 77), { token: tokenOf(meganUser), contentLength: FIVE_MB });
    await callOk(megan, 'mail_send_draft', { messageId: draftId });
    const received = sandbox().tenant.mailbox(leeUser.id).sorted.find((m) => m.folder === 'inbox' && m.subject === subject);
    expect(received).toBeDefined();
    const message = await callOk<{ attachments?: Array<{ id: string; name: string }> }>(lee, 'mail_get_message', { messageId: received?.id });
    const attachment = message.attachments?.find((a) => a.name === 'report.bin');
    expect(await downloadedSha(lee, tokenOf(leeUser), received?.id ?? '', attachment?.id ?? '')).toBe(sha256OfGenerated(FIVE_MB, 77));
    const link = await callOk<AttachmentResult>(lee, 'mail_get_attachment', { messageId: received?.id, attachmentId: attachment?.id });
    expect((await fetch(link.downloadUrl ?? '', { headers: { authorization: `Bearer ${tokenOf(meganUser)}` } })).status).toBe(404);
    expect((await fetch(link.downloadUrl ?? '')).status).toBe(401);
  });

  it('recovers a fragment whose connection dropped by asking Outlook where it stands', async () => {
    const draftId = await newDraft(megan, 'Dropped fragment');
    const started = await startAttachment(megan, draftId, 'dropped.bin', FIVE_MB);
    sandbox().faults.set({ resetRate: 1, method: 'PUT', pathPattern: '^/_sandbox/attachment-upload/', count: 1 });
    try {
      const done = await sendChunks(megan, started.uploadId, FIVE_MB, 5, started.chunkBytes);
      expect(done.status).toBe('completed');
      expect(await downloadedSha(megan, tokenOf(meganUser), draftId, done.attachmentId ?? '')).toBe(sha256OfGenerated(FIVE_MB, 5));
    } finally {
      sandbox().faults.clear();
    }
  });
});

describe('bad input and session lifecycle', () => {
  it('refuses a message that is not a draft, an unknown draft, and sizes Outlook does not take this way', async () => {
    const inbox = sandbox().tenant.mailbox(meganUser.id).sorted.find((m) => m.folder === 'inbox');
    const start = (messageId: string, size: number): Promise<{ category: string; code: string; message: string }> =>
      callError(megan, 'mail_attachment_upload_start', { messageId, name: 'x.bin', size });
    expect(await start(inbox?.id ?? '', FIVE_MB)).toMatchObject({ category: 'invalid_input', code: 'mail.notADraft' });
    expect(await start('AAMkAGnoSuchDraft=', FIVE_MB)).toMatchObject({ category: 'not_found' });
    const draftId = await newDraft(megan, 'Sizes');
    const huge = await start(draftId, 150 * MiB + 1);
    expect(huge).toMatchObject({ category: 'payload_too_large', code: 'upload.attachmentTooLarge' });
    expect(huge.message).toContain('files_upload_start');
    const small = await start(draftId, 3 * MiB - 1);
    expect(small).toMatchObject({ category: 'invalid_input', code: 'upload.attachmentTooSmall' });
    expect(small.message).toContain('mail_update_draft');
    expect(await start(draftId, -5)).toMatchObject({ code: 'upload.invalidSize' });
    expect(await callError(megan, 'mail_attachment_upload_start', { messageId: draftId, name: 'a/b.bin', size: FIVE_MB })).toMatchObject({ code: 'mail.invalidAttachment' });
    expect(sandbox().tenant.mailbox(meganUser.id).get(draftId)?.attachments ?? []).toEqual([]);
  });

  it("treats another user's upload id like an unknown one, on the tools and on PUT /uploads/{id}", async () => {
    const draftId = await newDraft(megan, 'Private upload');
    const started = await startAttachment(megan, draftId, 'private.bin', FIVE_MB);
    for (const tool of ['files_upload_status', 'files_upload_cancel']) {
      expect(await callError(lee, tool, { uploadId: started.uploadId })).toMatchObject({ category: 'not_found', code: 'upload.notFound' });
    }
    expect(await callError(lee, 'files_upload_chunk', { uploadId: started.uploadId, offset: 0, content: 'AAAA' })).toMatchObject({ code: 'upload.notFound' });
    const other = await putBinary(`${gateway.url}${started.uploadPath}`, [Buffer.alloc(10)], { token: tokenOf(leeUser), contentRange: `bytes 0-9/${FIVE_MB}` });
    expect(other.status).toBe(404);
    expect(await callOk<UploadStatus>(megan, 'files_upload_status', { uploadId: started.uploadId })).toMatchObject({ status: 'active', nextOffset: 0 });
  });

  it('refuses a wrong offset (tool and binary) and a Content-Range total that differs from the size', async () => {
    const draftId = await newDraft(megan, 'Offsets');
    const started = await startAttachment(megan, draftId, 'offsets.bin', FIVE_MB);
    const wrong = await callError(megan, 'files_upload_chunk', { uploadId: started.uploadId, offset: 1000, content: Buffer.alloc(10).toString('base64') });
    expect(wrong).toMatchObject({ category: 'invalid_input', code: 'upload.wrongOffset' });
    expect(wrong.message).toContain('offset 0');
    const url = `${gateway.url}${started.uploadPath}`;
    const ahead = await putBinary(url, [Buffer.alloc(10)], { token: tokenOf(meganUser), contentRange: `bytes 1000-1009/${FIVE_MB}` });
    expect(ahead.body).toMatchObject({ error: { code: 'upload.wrongOffset' } });
    const total = await putBinary(url, [Buffer.alloc(10)], { token: tokenOf(meganUser), contentRange: `bytes 0-9/${FIVE_MB + 1}` });
    expect(total.body).toMatchObject({ error: { code: 'upload.sizeChanged' } });
  });

  it('reports an expired session and asks to start over with mail_attachment_upload_start; cancels cleanly', async () => {
    const draftId = await newDraft(megan, 'Lifecycle');
    const expiring = await startAttachment(megan, draftId, 'expiring.bin', FIVE_MB);
    await sendChunks(megan, expiring.uploadId, expiring.chunkBytes, 3, expiring.chunkBytes);
    sandbox().uploadSessions.expire();
    // The last bytes, so the gateway talks to Outlook (a piece short of a 320 KiB unit would wait in the session's tail).
    const next = generatedBytes(FIVE_MB - expiring.chunkBytes, 4).toString('base64');
    const error = await callError(megan, 'files_upload_chunk', { uploadId: expiring.uploadId, offset: expiring.chunkBytes, content: next });
    expect(error).toMatchObject({ category: 'not_found', code: 'upload.expired' });
    expect(error.message).toContain('mail_attachment_upload_start');

    const cancelled = await startAttachment(megan, draftId, 'cancelled.bin', FIVE_MB);
    const open = sandbox().uploadSessions.size;
    expect(await callOk<UploadStatus>(megan, 'files_upload_cancel', { uploadId: cancelled.uploadId })).toMatchObject({ status: 'cancelled' });
    expect(sandbox().uploadSessions.size).toBe(open - 1);
    expect(await callError(megan, 'files_upload_chunk', { uploadId: cancelled.uploadId, offset: 0, content: 'AAAA' })).toMatchObject({ code: 'upload.cancelled' });
    expect(sandbox().tenant.mailbox(meganUser.id).get(draftId)?.attachments ?? []).toEqual([]);
  });
});
