import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededUser } from '../../../src/adapters/sandbox/seed.js';
import { makeSandbox } from './sandbox-fixture.js';
import type { SandboxFixture } from './sandbox-fixture.js';

const UNIT = 327_680;
const lee = seededUser('lee gu');
let fx: SandboxFixture;

beforeAll(async () => {
  fx = await makeSandbox();
});
afterAll(async () => {
  await fx.sandbox.close();
});

async function createSession(name: string, conflict = 'fail'): Promise<{ uploadUrl: string; nextExpectedRanges: string[] }> {
  const res = await fx.call(lee, `/v1.0/me/drive/root:/Uploads/${encodeURIComponent(name)}:/createUploadSession`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ item: { '@microsoft.graph.conflictBehavior': conflict } }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { uploadUrl: string; nextExpectedRanges: string[] };
}

const put = (url: string, bytes: Uint8Array, start: number, total: number, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(url, { method: 'PUT', body: bytes, headers: { 'content-range': `bytes ${start}-${start + bytes.length - 1}/${total}`, ...headers } });

async function errorCode(res: Response): Promise<string> {
  return ((await res.json()) as { error: { code: string } }).error.code;
}

describe('sandbox upload sessions', () => {
  it('assembles aligned fragments into the file and reports nextExpectedRanges truthfully', async () => {
    const data = randomBytes(2 * UNIT + 1234);
    const session = await createSession('assembled.bin');
    expect(session.nextExpectedRanges).toEqual(['0-']);
    const first = await put(session.uploadUrl, data.subarray(0, UNIT), 0, data.length);
    expect(first.status).toBe(202);
    expect(((await first.json()) as { nextExpectedRanges: string[] }).nextExpectedRanges).toEqual([`${UNIT}-${data.length - 1}`]);
    const status = await fetch(session.uploadUrl);
    expect(((await status.json()) as { nextExpectedRanges: string[] }).nextExpectedRanges).toEqual([`${UNIT}-${data.length - 1}`]);
    const last = await put(session.uploadUrl, data.subarray(UNIT), UNIT, data.length);
    expect(last.status).toBe(201);
    const item = (await last.json()) as { id: string; size: number; name: string };
    expect(item).toMatchObject({ name: 'assembled.bin', size: data.length });
    const content = await fx.call(lee, `/v1.0/me/drive/items/${item.id}/content`);
    const bytes = Buffer.from(await (await fetch(content.headers.get('location') ?? '')).arrayBuffer());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(createHash('sha256').update(data).digest('hex'));
    // The session is gone once complete.
    expect((await fetch(session.uploadUrl)).status).toBe(404);
  });

  it('rejects what Graph rejects: token on the URL, misaligned, out of order, overlapping, changed total', async () => {
    const total = 3 * UNIT;
    const session = await createSession('strict.bin');
    const unit = randomBytes(UNIT);
    const withToken = await put(session.uploadUrl, unit, 0, total, { authorization: `Bearer ${fx.sandbox.mintToken(lee)}` });
    expect(withToken.status).toBe(401);
    const misaligned = await put(session.uploadUrl, randomBytes(UNIT - 1), 0, total);
    expect(misaligned.status).toBe(400);
    const outOfOrder = await put(session.uploadUrl, unit, UNIT, total);
    expect(outOfOrder.status).toBe(416);
    expect((await put(session.uploadUrl, unit, 0, total)).status).toBe(202);
    const overlapping = await put(session.uploadUrl, unit, 0, total);
    expect(overlapping.status).toBe(416);
    expect(await errorCode(overlapping)).toBe('invalidRange');
    const changedTotal = await put(session.uploadUrl, unit, UNIT, total + UNIT);
    expect(changedTotal.status).toBe(400);
    const status = (await (await fetch(session.uploadUrl)).json()) as { nextExpectedRanges: string[] };
    expect(status.nextExpectedRanges).toEqual([`${UNIT}-${total - 1}`]);
  });

  it('refuses fragments of 60 MiB or more with 413', async () => {
    const session = await createSession('big-fragment.bin');
    const size = 192 * UNIT; // exactly 60 MiB
    // node:http reports the response even if the server stops reading early; fetch would report a reset.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(session.uploadUrl, { method: 'PUT', headers: { 'content-range': `bytes 0-${size - 1}/${size + UNIT}`, 'content-length': String(size) } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(Buffer.alloc(size));
    });
    expect(status).toBe(413);
  });

  it('expires sessions (404), cancels with DELETE (204), and honours conflict behaviour at creation and completion', async () => {
    const expiring = await createSession('expiring.bin');
    fx.sandbox.uploadSessions.expire();
    expect((await put(expiring.uploadUrl, randomBytes(10), 0, 10)).status).toBe(404);
    expect((await fetch(expiring.uploadUrl)).status).toBe(404);

    const cancelled = await createSession('cancelled.bin');
    expect((await fetch(cancelled.uploadUrl, { method: 'DELETE' })).status).toBe(204);
    expect((await fetch(cancelled.uploadUrl)).status).toBe(404);

    const a = await createSession('same-name.txt');
    const b = await createSession('same-name.txt', 'rename');
    expect((await put(a.uploadUrl, Buffer.from('first'), 0, 5)).status).toBe(201);
    const renamed = await put(b.uploadUrl, Buffer.from('second'), 0, 6);
    expect(renamed.status).toBe(201);
    expect(((await renamed.json()) as { name: string }).name).toBe('same-name 1.txt');
    const refused = await fx.call(lee, '/v1.0/me/drive/root:/Uploads/same-name.txt:/createUploadSession', { method: 'POST', body: JSON.stringify({ item: { '@microsoft.graph.conflictBehavior': 'fail' } }) });
    expect(refused.status).toBe(409);
    const late = await createSession('late-conflict.txt');
    const other = await createSession('late-conflict.txt', 'replace');
    expect((await put(other.uploadUrl, Buffer.from('winner'), 0, 6)).status).toBe(201);
    expect((await put(late.uploadUrl, Buffer.from('loser'), 0, 5)).status).toBe(409);
  });

  it('lets only one of two racing fragments for the same range in, and keeps its bytes intact', async () => {
    const session = await createSession('racing.bin');
    const total = 2 * UNIT;
    const slow = Buffer.alloc(UNIT, 0xaa);
    const fast = Buffer.alloc(UNIT, 0xbb);
    // The slow fragment sends half its body, then waits until the fast one has been answered.
    let sendRest!: () => void;
    const slowStatus = new Promise<number>((resolve, reject) => {
      const req = request(session.uploadUrl, { method: 'PUT', headers: { 'content-range': `bytes 0-${UNIT - 1}/${total}`, 'content-length': String(UNIT) } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write(slow.subarray(0, UNIT / 2));
      sendRest = () => req.end(slow.subarray(UNIT / 2));
    });
    await expect.poll(() => fx.sandbox.stats.snapshot().inFlight).toBe(1);
    expect((await put(session.uploadUrl, fast, 0, total)).status).toBe(202);
    sendRest();
    expect(await slowStatus).toBe(416);
    const last = await put(session.uploadUrl, Buffer.alloc(UNIT, 0xcc), UNIT, total);
    expect(last.status).toBe(201);
    const item = (await last.json()) as { id: string };
    const content = await fx.call(lee, `/v1.0/me/drive/items/${item.id}/content`);
    const bytes = Buffer.from(await (await fetch(content.headers.get('location') ?? '')).arrayBuffer());
    expect(bytes.equals(Buffer.concat([fast, Buffer.alloc(UNIT, 0xcc)]))).toBe(true);
  });

  it('refuses invalid names when the session is created', async () => {
    for (const name of ['a:b.txt', 'CON', 'x|y']) {
      const res = await fx.call(lee, `/v1.0/me/drive/root:/Uploads/${encodeURIComponent(name)}:/createUploadSession`, { method: 'POST', body: '{}' });
      expect(res.status).toBe(400);
    }
  });

  it('drops a chunk when told to reset the connection, and the session still says what it has', async () => {
    const session = await createSession('reset.bin');
    const data = randomBytes(2 * UNIT);
    expect((await put(session.uploadUrl, data.subarray(0, UNIT), 0, data.length)).status).toBe(202);
    fx.sandbox.faults.set({ resetRate: 1, method: 'PUT', pathPattern: '^/_sandbox/upload/', count: 1 });
    await expect(put(session.uploadUrl, data.subarray(UNIT), UNIT, data.length)).rejects.toThrow();
    const status = (await (await fetch(session.uploadUrl)).json()) as { nextExpectedRanges: string[] };
    expect(status.nextExpectedRanges).toEqual([`${UNIT}-${data.length - 1}`]);
    expect((await put(session.uploadUrl, data.subarray(UNIT), UNIT, data.length)).status).toBe(201);
  });
});
