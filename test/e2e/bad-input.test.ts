import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../src/app/gateway.js';
import { callError, callOk, connectClient, startTestGateway } from '../support/gateway.js';

describe('bad input gets a clear typed error and nothing crashes', () => {
  let gateway: RunningGateway;
  let client: Client;
  beforeAll(async () => {
    gateway = await startTestGateway({ INLINE_CONTENT_MAX_BYTES: '65536', SIMPLE_UPLOAD_MAX_BYTES: '65536' });
    client = await connectClient(gateway);
  });
  afterAll(async () => {
    await client.close();
    await gateway.close();
  });

  const invalid: [string, string, Record<string, unknown>][] = [
    ['wrong type', 'mail_list_messages', { pageSize: 'ten' }],
    ['page size over the limit', 'mail_list_messages', { pageSize: 100_000 }],
    ['missing required field', 'mail_get_message', {}],
    ['missing recipients', 'mail_send', { subject: 'x', body: 'y' }],
    ['invalid address', 'mail_send', { to: ['not-an-address'], subject: 'x', body: 'y' }],
    ['header injection in subject', 'mail_send', { to: ['alex.wilber@contoso.example'], subject: 'hi\r\nBcc: evil@example.com', body: 'y' }],
    ['very long subject', 'mail_send', { to: ['alex.wilber@contoso.example'], subject: 'a'.repeat(5000), body: 'y' }],
    ['end before start', 'calendar_list_events', { start: '2026-02-01T00:00:00Z', end: '2026-01-01T00:00:00Z' }],
    ['not an ISO instant', 'calendar_list_events', { start: 'yesterday', end: '2026-01-01T00:00:00Z' }],
    ['unknown time zone', 'calendar_list_events', { start: '2026-01-01T00:00:00Z', end: '2026-01-02T00:00:00Z', timeZone: 'Mars/Olympus' }],
    ['path traversal in folder', 'files_list', { folder: '/Documents/../../etc' }],
    ['path separator in file name', 'files_upload', { name: '../../etc/passwd', content: 'x' }],
    ['reserved file name', 'files_upload', { name: 'CON', content: 'x' }],
    ['forbidden character in file name', 'files_upload', { name: 'a<b>.txt', content: 'x' }],
    ['invalid base64', 'files_upload', { name: 'a.bin', content: '***', encoding: 'base64' }],
    ['tampered cursor', 'mail_list_messages', { cursor: Buffer.from('{"p":"https://evil.example/steal"}').toString('base64url') }],
    ['empty search', 'search_query', { query: '' }],
    ['very long query', 'search_query', { query: 'q'.repeat(10_000) }],
  ];

  it.each(invalid)('%s → invalid_input', async (_label, tool, args) => {
    const error = await callError(client, tool, args);
    expect(error.category).toBe('invalid_input');
    expect(error.retryable).toBe(false);
    expect(error.message.length).toBeGreaterThan(5);
  });

  it('does not echo hostile values back in the error message', async () => {
    const error = await callError(client, 'mail_send', { to: ['<script>alert(1)</script>'], subject: 'x', body: 'y' });
    expect(error.message).not.toContain('<script>');
  });

  it('unknown ids → not_found', async () => {
    expect((await callError(client, 'mail_get_message', { messageId: 'AAMkAGdoesnotexist' })).category).toBe('not_found');
    expect((await callError(client, 'files_download', { itemId: '01DOESNOTEXIST' })).category).toBe('not_found');
  });

  it('oversize inline content → payload_too_large naming the upload-session tools', async () => {
    const error = await callError(client, 'files_upload', { name: 'big.txt', content: 'x'.repeat(70_000) });
    expect(error.category).toBe('payload_too_large');
    expect(error.message).toContain('files_upload_start');
  });

  it('an unknown tool stays a protocol error', async () => {
    await expect(client.callTool({ name: 'mail_delete_everything', arguments: {} })).rejects.toThrow(/Unknown tool/);
  });

  it('keeps serving after all of that', async () => {
    const me = await callOk<{ profile: { displayName: string } }>(client, 'auth_whoami');
    expect(me.profile.displayName).toBe('Megan Bowen');
  });
});
