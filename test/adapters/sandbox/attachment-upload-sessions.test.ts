import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededUser } from '../../../src/adapters/sandbox/seed.js';
import { makeSandbox } from './sandbox-fixture.js';
import type { SandboxFixture } from './sandbox-fixture.js';

const MiB = 1024 * 1024;
const lee = seededUser('lee gu');
const adele = seededUser('adele');
let clock = Date.now();
let fx: SandboxFixture;

beforeAll(async () => {
  fx = await makeSandbox({ now: () => clock });
});
afterAll(async () => {
  await fx.sandbox.close();
});

interface Session {
  uploadUrl: string;
  expirationDateTime: string;
  nextExpectedRanges: string[];
}

async function newDraft(subject = 'With a big file'): Promise<string> {
  const draft = await fx.json<{ id: string }>(lee, '/v1.0/me/messages', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ subject, toRecipients: [{ emailAddress: { address: adele.mail } }] }),
  });
  return draft.id;
}

function createSession(messageId: string, item: Record<string, unknown>, scopes?: string[]): Promise<Response> {
  return fx.call(lee, `/v1.0/me/messages/${encodeURIComponent(messageId)}/attachments/createUploadSession`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ AttachmentItem: { attachmentType: 'file', ...item } }),
    ...(scopes ? { scopes } : {}),
  });
}

async function session(messageId: string, name: string, size: number): Promise<Session> {
  const res = await createSession(messageId, { name, size, contentType: 'application/pdf' });
  expect(res.status).toBe(201);
  return (await res.json()) as Session;
}

const put = (url: string, bytes: Uint8Array, start: number, total: number, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(url, { method: 'PUT', body: bytes, headers: { 'content-range': `bytes ${start}-${start + bytes.length - 1}/${total}`, ...headers } });

async function errorCode(res: Response): Promise<string> {
  return ((await res.json()) as { error: { code: string } }).error.code;
}

const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

describe('sandbox Outlook attachment upload sessions', () => {
  it('takes unaligned fragments up to 4 MiB in order, answers 200 with the next offset, then 201 with Location, and attaches the file', async () => {
    const draftId = await newDraft();
    const data = randomBytes(5 * MiB + 123);
    const s = await session(draftId, 'plan.pdf', data.length);
    expect(s.nextExpectedRanges).toEqual(['0-']);
    expect(s.uploadUrl).toContain('/_sandbox/attachment-upload/');

    const first = await put(s.uploadUrl, data.subarray(0, 4 * MiB), 0, data.length);
    expect(first.status).toBe(200);
    const progress = (await first.json()) as { ExpirationDateTime: string; nextExpectedRanges: string[] };
    expect(progress.nextExpectedRanges).toEqual([String(4 * MiB)]);
    expect(progress.ExpirationDateTime).toBe(s.expirationDateTime);
    expect(((await (await fetch(s.uploadUrl)).json()) as { nextExpectedRanges: string[] }).nextExpectedRanges).toEqual([String(4 * MiB)]);

    const last = await put(s.uploadUrl, data.subarray(4 * MiB), 4 * MiB, data.length);
    expect(last.status).toBe(201);
    expect(await last.text()).toBe('');
    const attachmentId = /Attachments\('([^']+)'\)$/.exec(last.headers.get('location') ?? '')?.[1] ?? '';
    expect(attachmentId).not.toBe('');

    const listed = await fx.json<{ value: Array<{ id: string; name: string; size: number; contentType: string }> }>(lee, `/v1.0/me/messages/${encodeURIComponent(draftId)}/attachments`);
    expect(listed.value).toContainEqual(expect.objectContaining({ id: attachmentId, name: 'plan.pdf', size: data.length, contentType: 'application/pdf' }));
    const raw = await fx.call(lee, `/v1.0/me/messages/${encodeURIComponent(draftId)}/attachments/${encodeURIComponent(attachmentId)}/$value`);
    expect(raw.status).toBe(200);
    expect(raw.headers.get('content-type')).toBe('application/pdf');
    expect(sha(new Uint8Array(await raw.arrayBuffer()))).toBe(sha(data));
    // The session is gone once complete.
    expect((await fetch(s.uploadUrl)).status).toBe(404);
  });

  it('delivers the uploaded attachment with the draft', async () => {
    const draftId = await newDraft('Deck attached');
    const data = randomBytes(3 * MiB + 1);
    const s = await session(draftId, 'deck.pptx', data.length);
    expect((await put(s.uploadUrl, data.subarray(0, 3 * MiB), 0, data.length)).status).toBe(200);
    expect((await put(s.uploadUrl, data.subarray(3 * MiB), 3 * MiB, data.length)).status).toBe(201);
    expect((await fx.call(lee, `/v1.0/me/messages/${encodeURIComponent(draftId)}/send`, { method: 'POST' })).status).toBe(202);
    const inbox = fx.sandbox.tenant.mailbox(adele.id).sorted.find((m) => m.subject === 'Deck attached');
    const received = inbox?.attachments?.find((a) => a.name === 'deck.pptx');
    expect(received?.content.kind === 'bytes' ? sha(received.content.data) : undefined).toBe(sha(data));
  });

  it('refuses sessions Graph refuses: under 3 MiB, over 150 MiB, not a file, not a draft, unknown message, missing scope', async () => {
    const draftId = await newDraft();
    const small = await createSession(draftId, { name: 'small.txt', size: 3 * MiB - 1 });
    expect(small.status).toBe(400);
    expect(await errorCode(small)).toBe('ErrorAttachmentSizeShouldNotBeLessThanMinimumSize');
    const huge = await createSession(draftId, { name: 'huge.bin', size: 150 * MiB + 1 });
    expect(huge.status).toBe(400);
    expect((await createSession(draftId, { name: 'x', size: 4 * MiB, attachmentType: 'item' })).status).toBe(400);
    const sent = fx.sandbox.tenant.mailbox(lee.id).sorted.find((m) => m.folder !== 'drafts');
    const notDraft = await createSession(sent?.id ?? '', { name: 'x.bin', size: 4 * MiB });
    expect(notDraft.status).toBe(400);
    expect(await errorCode(notDraft)).toBe('ErrorInvalidOperation');
    expect((await createSession('AAMkAGnope=', { name: 'x.bin', size: 4 * MiB })).status).toBe(404);
    expect((await createSession(draftId, { name: 'x.bin', size: 4 * MiB }, ['Mail.Read'])).status).toBe(403);
  });

  it('rejects what Outlook rejects: a token on the URL, fragments over 4 MiB, out of order, overlapping, a changed size', async () => {
    const draftId = await newDraft();
    const total = 6 * MiB;
    const s = await session(draftId, 'strict.bin', total);
    const piece = randomBytes(MiB);
    expect((await put(s.uploadUrl, piece, 0, total, { authorization: `Bearer ${fx.sandbox.mintToken(lee)}` })).status).toBe(401);
    const status = await new Promise<number>((resolve, reject) => {
      const size = 4 * MiB + 1;
      const req = request(s.uploadUrl, { method: 'PUT', headers: { 'content-range': `bytes 0-${size - 1}/${total}`, 'content-length': String(size) } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(Buffer.alloc(size));
    });
    expect(status).toBe(413);
    expect((await put(s.uploadUrl, piece, MiB, total)).status).toBe(416);
    expect((await put(s.uploadUrl, piece.subarray(0, 1000), 0, total)).status).toBe(200);
    const overlapping = await put(s.uploadUrl, piece, 500, total);
    expect(overlapping.status).toBe(416);
    expect((await put(s.uploadUrl, piece, 1000, total + 1)).status).toBe(400);
    expect((await fetch(s.uploadUrl, { method: 'PUT', body: piece, headers: { 'content-range': `bytes 1000-${1000 + MiB}/${total}` } })).status).toBe(400);
    expect(((await (await fetch(s.uploadUrl)).json()) as { nextExpectedRanges: string[] }).nextExpectedRanges).toEqual(['1000']);
    // A OneDrive upload URL does not take an Outlook session's id.
    expect((await put(s.uploadUrl.replace('/attachment-upload/', '/upload/'), piece, 1000, total)).status).toBe(404);
  });

  it('expires at the time given at creation (fragments do not extend it), and cancels with DELETE', async () => {
    const draftId = await newDraft();
    const total = 4 * MiB;
    const s = await session(draftId, 'expiring.bin', total);
    clock += 10 * 60_000;
    expect((await put(s.uploadUrl, randomBytes(MiB), 0, total)).status).toBe(200);
    clock += 6 * 60_000;
    expect((await put(s.uploadUrl, randomBytes(MiB), MiB, total)).status).toBe(404);

    const cancelled = await session(draftId, 'cancelled.bin', total);
    expect((await fetch(cancelled.uploadUrl, { method: 'DELETE' })).status).toBe(204);
    expect((await fetch(cancelled.uploadUrl)).status).toBe(404);
    const attachments = await fx.json<{ value: Array<{ name: string }> }>(lee, `/v1.0/me/messages/${encodeURIComponent(draftId)}/attachments`);
    expect(attachments.value.map((a) => a.name)).toEqual([]);
  });
});
