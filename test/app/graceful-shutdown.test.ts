import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { seededUser } from '../../src/adapters/sandbox/seed.js';
import { connectTo, spawnGateway } from '../support/gateway-process.js';

/** A fresh TCP connection (no pooled keep-alive socket): resolves with the status or the socket error code. */
function freshGet(url: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end();
  });
}

describe('graceful shutdown of `npm start` on SIGTERM', () => {
  it('finishes the in-flight call, refuses new connections, and exits 0 within the drain deadline', async () => {
    const gateway = await spawnGateway({ SHUTDOWN_DRAIN_SECONDS: '5' }, randomBytes(24).toString('base64url'));
    const megan = seededUser('megan');
    const client = await connectTo(gateway.mcpUrl, gateway.devToken({ tenantId: megan.tenantId, objectId: megan.id }));
    await fetch(`${gateway.sandboxUrl}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ latencyMs: 2_000, pathPattern: '/me/messages' }),
    });
    const inFlight = client.callTool({ name: 'mail_list_messages', arguments: { pageSize: 1 } }) as Promise<CallToolResult>;
    await new Promise((r) => setTimeout(r, 500)); // the call is now waiting on the slow sandbox
    const signalledAt = Date.now();
    gateway.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    expect(await freshGet(`${gateway.url}/healthz`)).toBe('ECONNREFUSED');
    const result = await inFlight;
    expect(result.isError).toBeFalsy();
    expect((result.structuredContent as { messages: unknown[] }).messages).toHaveLength(1);
    const code = await gateway.exited;
    expect(code).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(5_000 + 2_000);
    await client.close().catch(() => undefined);
  }, 120_000);

  it('stops waiting at the drain deadline when a call outlives it', async () => {
    const gateway = await spawnGateway({ SHUTDOWN_DRAIN_SECONDS: '1' }, randomBytes(24).toString('base64url'));
    const megan = seededUser('megan');
    const client = await connectTo(gateway.mcpUrl, gateway.devToken({ tenantId: megan.tenantId, objectId: megan.id }));
    await fetch(`${gateway.sandboxUrl}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ latencyMs: 20_000, pathPattern: '/me/messages' }),
    });
    const inFlight = client.callTool({ name: 'mail_list_messages', arguments: { pageSize: 1 } }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 500));
    const signalledAt = Date.now();
    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(1_000 + 2_000);
    expect(await inFlight).toBeInstanceOf(Error); // cut off at the deadline, as ECS would
    await client.close().catch(() => undefined);
  }, 120_000);
});
