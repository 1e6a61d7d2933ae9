import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Identity } from '../../domain/identity.js';
import type { Clock } from '../../ports/clock.js';
import type { DownloadLink, DownloadLinks, DownloadTarget } from '../../ports/download-links.js';

export const DOWNLOADS_PATH = '/downloads';

export interface HmacDownloadLinksOptions {
  /** Shared by every replica, so any of them can serve a link another issued. */
  secret: string;
  ttlMs: number;
  /** Public origin (`https://mcp.example.com`); links are relative to the gateway's origin without it. */
  publicBaseUrl?: string;
  clock: Clock;
}

interface Grant {
  /** Drive item id (a OneDrive file)... */
  i?: string;
  /** ...or message id and attachment id (a mail attachment). */
  m?: string;
  a?: string;
  /** Expiry, epoch seconds. */
  e: number;
  /** Keyed hash of tenant+object id: binds the link to its user without writing the ids into it. */
  u: string;
  /** Nonce: two links to one file differ. */
  n: string;
}

/**
 * Stateless download tokens: `base64url(grant).base64url(HMAC-SHA256)`. Nothing to store or clean up;
 * a link works only until it expires and only for the user it was issued to (checked against the
 * bearer token presented with it), so a link copied out of a chat transcript is useless on its own.
 */
export class HmacDownloadLinks implements DownloadLinks {
  constructor(private readonly options: HmacDownloadLinksOptions) {
    if (options.secret.length < 32) throw new Error('download link secret must have at least 32 characters');
  }

  async issue(caller: Identity, target: DownloadTarget): Promise<DownloadLink> {
    const expiresMs = this.options.clock.now() + this.options.ttlMs;
    const what = target.kind === 'driveItem' ? { i: target.itemId } : { m: target.messageId, a: target.attachmentId };
    const grant: Grant = { ...what, e: Math.floor(expiresMs / 1000), u: this.userTag(caller), n: randomBytes(9).toString('base64url') };
    const payload = Buffer.from(JSON.stringify(grant)).toString('base64url');
    const token = `${payload}.${this.mac(payload)}`;
    return { url: `${this.options.publicBaseUrl ?? ''}${DOWNLOADS_PATH}/${token}`, expiresAt: new Date(grant.e * 1000).toISOString() };
  }

  async resolve(token: string, caller: Identity): Promise<DownloadTarget | null> {
    const [payload, mac, extra] = token.split('.');
    // Two Exchange ids (about 150 characters each) fit well within this.
    if (!payload || !mac || extra !== undefined || payload.length > 2048) return null;
    const expected = Buffer.from(this.mac(payload));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    let grant: Partial<Grant>;
    try {
      grant = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<Grant>;
    } catch {
      return null;
    }
    if (typeof grant.e !== 'number' || typeof grant.u !== 'string') return null;
    if (grant.e * 1000 <= this.options.clock.now()) return null;
    const tag = Buffer.from(this.userTag(caller));
    const bound = Buffer.from(grant.u);
    if (tag.length !== bound.length || !timingSafeEqual(tag, bound)) return null;
    if (typeof grant.i === 'string') return { kind: 'driveItem', itemId: grant.i };
    if (typeof grant.m === 'string' && typeof grant.a === 'string') return { kind: 'attachment', messageId: grant.m, attachmentId: grant.a };
    return null;
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.options.secret).update(`link:${payload}`).digest('base64url');
  }

  private userTag(user: Pick<Identity, 'tenantId' | 'objectId'>): string {
    return createHmac('sha256', this.options.secret).update(`user:${user.tenantId}:${user.objectId}`).digest('base64url').slice(0, 22);
  }
}
