import { afterEach, describe, expect, it } from 'vitest';
import { GraphHttpClient } from '../../../src/adapters/graph/graph-http-client.js';
import { HttpUploadSessionGateway } from '../../../src/adapters/graph/http-upload-session-gateway.js';
import { makeIdentity } from '../../domain/fixtures.js';
import { json, startTestServer } from './graph-test-server.js';
import type { Handler, TestServer } from './graph-test-server.js';

/** The Outlook side of HttpUploadSessionGateway against answers shaped like Microsoft's documented examples. */

const me = makeIdentity();
const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function gatewayFor(handler: Handler): Promise<{ server: TestServer; gateway: HttpUploadSessionGateway }> {
  const server = await startTestServer(handler);
  servers.push(server);
  const graph = new GraphHttpClient({ baseUrl: `${server.origin}/v1.0`, tokenProvider: { getAccessToken: async () => 't' }, timeoutMs: 2000 });
  return { server, gateway: new HttpUploadSessionGateway(graph, { fragmentTimeoutMs: 2000 }) };
}

describe('HttpUploadSessionGateway for Outlook attachments', () => {
  it('creates the session with AttachmentItem, sends fragments without a token, reads 200 progress and the 201 Location', async () => {
    const { server, gateway } = await gatewayFor((req, res) => {
      if (req.method === 'POST') {
        json(res, 201, { uploadUrl: `${server.origin}/api/v2.0/Users('u@t')/Messages('AAMk=')/AttachmentSessions('S1')?authtoken=abc`, expirationDateTime: '2030-01-01T00:10:00.0000000Z', nextExpectedRanges: ['0-'] });
      } else if (req.headers['content-range'] === 'bytes 0-3/6') {
        json(res, 200, { ExpirationDateTime: '2030-01-01T00:10:00.0000000Z', nextExpectedRanges: ['4'] });
      } else {
        res.writeHead(201, { location: `${server.origin}/api/v2.0/Users('u@t')/Messages('AAMk%3D')/Attachments('AAMkAT%2Bx%3D')`, 'content-length': '0' });
        res.end();
      }
    });
    const created = await gateway.createForAttachment(me, 'AAMk=', { name: 'plan.pdf', size: 6, contentType: 'application/pdf' });
    expect(created.expiresAt).toBe(Date.parse('2030-01-01T00:10:00Z'));
    const create = server.requests[0];
    expect(create?.url).toBe('/v1.0/me/messages/AAMk%3D/attachments/createUploadSession');
    expect(JSON.parse(create?.body.toString() ?? '')).toEqual({ AttachmentItem: { attachmentType: 'file', name: 'plan.pdf', size: 6, contentType: 'application/pdf' } });

    const upload = { kind: 'attachment' as const, url: created.uploadUrl };
    expect(await gateway.putFragment(upload, 0, 6, new Uint8Array([1, 2, 3, 4]))).toEqual({ kind: 'incomplete', nextExpected: 4, expiresAt: Date.parse('2030-01-01T00:10:00Z') });
    expect(await gateway.putFragment(upload, 4, 6, new Uint8Array([5, 6]))).toEqual({ kind: 'complete', attachmentId: 'AAMkAT+x=' });
    for (const fragment of server.requests.slice(1)) {
      expect(fragment.headers.authorization).toBeUndefined();
      expect(fragment.url).toContain('authtoken=abc');
    }
    expect(server.requests[2]?.headers['content-range']).toBe('bytes 4-5/6');
  });

  it('completes without an id when Outlook sends no Location', async () => {
    const { gateway, server } = await gatewayFor((_req, res) => {
      res.writeHead(201);
      res.end();
    });
    expect(await gateway.putFragment({ kind: 'attachment', url: `${server.origin}/s` }, 0, 1, new Uint8Array([1]))).toEqual({ kind: 'complete' });
  });

  it('reads OneDrive answers as before: 202 progress, 201 with the driveItem', async () => {
    const { gateway, server } = await gatewayFor((req, res) => {
      if (req.headers['content-range'] === 'bytes 0-0/2') json(res, 202, { expirationDateTime: '2030-01-01T00:00:00Z', nextExpectedRanges: ['1-1'] });
      else json(res, 201, { id: 'item-1', name: 'a.bin', size: 2, file: {}, lastModifiedDateTime: '2030-01-01T00:00:00Z' });
    });
    const upload = { kind: 'file' as const, url: `${server.origin}/s` };
    expect(await gateway.putFragment(upload, 0, 2, new Uint8Array([1]))).toMatchObject({ kind: 'incomplete', nextExpected: 1 });
    expect(await gateway.putFragment(upload, 1, 2, new Uint8Array([2]))).toMatchObject({ kind: 'complete', item: { id: 'item-1', size: 2 } });
  });
});
