import { describe, expect, it } from 'vitest';
import { HmacDownloadLinks } from '../../../src/adapters/http/hmac-download-links.js';
import type { Identity } from '../../../src/domain/identity.js';

const user = (objectId: string, tenantId = 't1'): Identity => ({ tenantId, objectId, subject: objectId, clientId: 'c', scopes: [] });
const SECRET = 'x'.repeat(32);

function makeLinks(): { links: HmacDownloadLinks; advance(ms: number): void } {
  let now = 1_700_000_000_000;
  const links = new HmacDownloadLinks({ secret: SECRET, ttlMs: 60_000, clock: { now: () => now }, publicBaseUrl: 'https://mcp.example.com' });
  return { links, advance: (ms) => void (now += ms) };
}

const tokenOf = (url: string): string => url.split('/').pop() ?? '';
const item1 = { kind: 'driveItem', itemId: 'item-1' } as const;

describe('HmacDownloadLinks', () => {
  it('issues absolute links that resolve for their user until they expire', async () => {
    const { links, advance } = makeLinks();
    const link = await links.issue(user('a'), item1);
    expect(link.url).toMatch(/^https:\/\/mcp\.example\.com\/downloads\//);
    expect(await links.resolve(tokenOf(link.url), user('a'))).toEqual(item1);
    advance(59_000);
    expect(await links.resolve(tokenOf(link.url), user('a'))).toEqual(item1);
    advance(2_000);
    expect(await links.resolve(tokenOf(link.url), user('a'))).toBeNull();
  });

  it('carries a mail attachment (message id and attachment id) as well as a drive item', async () => {
    const { links } = makeLinks();
    const attachment = { kind: 'attachment', messageId: `AAMkAD${'x'.repeat(140)}=`, attachmentId: `AAMkAT${'y'.repeat(140)}=` } as const;
    const link = await links.issue(user('a'), attachment);
    expect(await links.resolve(tokenOf(link.url), user('a'))).toEqual(attachment);
    expect(await links.resolve(tokenOf(link.url), user('b'))).toBeNull();
  });

  it('refuses other users (same object id in another tenant included), other secrets and garbage', async () => {
    const { links } = makeLinks();
    const token = tokenOf((await links.issue(user('a'), item1)).url);
    expect(await links.resolve(token, user('b'))).toBeNull();
    expect(await links.resolve(token, user('a', 't2'))).toBeNull();
    const other = new HmacDownloadLinks({ secret: 'y'.repeat(32), ttlMs: 60_000, clock: { now: () => 1_700_000_000_000 } });
    expect(await other.resolve(token, user('a'))).toBeNull();
    for (const junk of ['', '.', 'a.b.c', 'x'.repeat(5000), `${token}x`]) expect(await links.resolve(junk, user('a'))).toBeNull();
  });

  it('does not write the user ids into the link', async () => {
    const { links } = makeLinks();
    const token = tokenOf((await links.issue(user('object-id-123', 'tenant-id-456'), item1)).url);
    const payload = Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8');
    expect(payload).not.toContain('object-id-123');
    expect(payload).not.toContain('tenant-id-456');
  });
});
