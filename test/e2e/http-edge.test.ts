import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededUser } from '../../src/adapters/sandbox/seed.js';
import type { RunningGateway } from '../../src/app/gateway.js';
import { startTestGateway } from '../support/gateway.js';

const MCP_HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };
const initialize = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});

describe('HTTP edge', () => {
  let gateway: RunningGateway;
  let auth: Record<string, string>;
  beforeAll(async () => {
    gateway = await startTestGateway({ ALLOWED_HOSTS: 'mcp.internal.example', ALLOWED_ORIGINS: 'https://app.example.com', HTTP_BODY_MAX_BYTES: '65536' });
    const user = seededUser('megan');
    auth = { Authorization: `Bearer ${gateway.devToken({ tenantId: user.tenantId, objectId: user.id })}` };
  });
  afterAll(() => gateway.close());

  it('answers liveness and readiness with each dependency', async () => {
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${gateway.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, checks: { graph: 'ok' } });
  });

  it('rejects /mcp without a valid token with 401 and a challenge', async () => {
    const res = await fetch(gateway.mcpUrl, { method: 'POST', headers: MCP_HEADERS, body: initialize });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const forged = await fetch(gateway.mcpUrl, {
      method: 'POST',
      headers: { ...MCP_HEADERS, Authorization: 'Bearer dev.eyJ0aWQiOiJ4Iiwib2lkIjoieSJ9.forged' },
      body: initialize,
    });
    expect(forged.status).toBe(401);
  });

  it('negotiates the latest protocol version and returns a correlation id', async () => {
    const res = await fetch(gateway.mcpUrl, { method: 'POST', headers: { ...MCP_HEADERS, ...auth, 'X-Correlation-Id': 'corr-12345678' }, body: initialize });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-correlation-id')).toBe('corr-12345678');
    const body = (await res.json()) as { result: { protocolVersion: string; capabilities: { tools: unknown } } };
    expect(body.result.protocolVersion).toBe('2025-11-25');
    expect(body.result.capabilities.tools).toBeDefined();
    expect(res.headers.get('mcp-session-id')).toBeNull();
  });

  it('blocks DNS rebinding: foreign Host or Origin → 403; configured ones pass', async () => {
    // fetch may not set Host, so this one goes through node:http.
    expect(await postWithHost(gateway.mcpUrl, 'evil.example:80', { ...MCP_HEADERS, ...auth }, initialize)).toBe(403);
    expect(await postWithHost(gateway.mcpUrl, 'mcp.internal.example', { ...MCP_HEADERS, ...auth }, initialize)).toBe(200);
    const foreignOrigin = await fetch(gateway.mcpUrl, { method: 'POST', headers: { ...MCP_HEADERS, ...auth, Origin: 'https://evil.example' }, body: initialize });
    expect(foreignOrigin.status).toBe(403);
    const allowedOrigin = await fetch(gateway.mcpUrl, {
      method: 'POST',
      headers: { ...MCP_HEADERS, ...auth, Origin: 'https://app.example.com' },
      body: initialize,
    });
    expect(allowedOrigin.status).toBe(200);
  });

  it('malformed JSON-RPC stays a protocol error', async () => {
    const res = await fetch(gateway.mcpUrl, { method: 'POST', headers: { ...MCP_HEADERS, ...auth }, body: '{not json' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: number } }).error.code).toBe(-32700);
  });

  it('refuses oversize bodies with 413 pointing at upload sessions', async () => {
    const res = await fetch(gateway.mcpUrl, { method: 'POST', headers: { ...MCP_HEADERS, ...auth }, body: 'x'.repeat(70_000) });
    expect(res.status).toBe(413);
    expect(JSON.stringify(await res.json())).toContain('files_upload_start');
  });

  it('refuses oversize chunked bodies (no Content-Length) with 413 too', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(10_000));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 7) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await fetch(gateway.mcpUrl, { method: 'POST', headers: { ...MCP_HEADERS, ...auth }, body, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    expect(JSON.stringify(await res.json())).toContain('files_upload_start');
  });

  it('reads a chunked body under the limit like any other', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(initialize));
        controller.close();
      },
    });
    const res = await fetch(gateway.mcpUrl, { method: 'POST', headers: { ...MCP_HEADERS, ...auth }, body, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { result: { protocolVersion: string } }).result.protocolVersion).toBe('2025-11-25');
  });

  it('has no standalone stream in stateless mode: GET /mcp → 405', async () => {
    const res = await fetch(gateway.mcpUrl, { headers: { ...auth, Accept: 'text/event-stream' } });
    expect(res.status).toBe(405);
  });
});

function postWithHost(url: string, host: string, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { ...headers, Host: host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(body);
  });
}
