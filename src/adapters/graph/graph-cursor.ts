import { DomainError, invalidInput } from '../../domain/errors.js';

/**
 * Opaque paging cursors. A cursor never holds a full URL: only the path and query of Graph's
 * `@odata.nextLink`, relative to the configured base URL. Decoding re-anchors it on the base URL and
 * checks it addresses the operation's own resource, so a forged cursor cannot send the user's token
 * anywhere else.
 */

const MAX_RELATIVE_LENGTH = 6000;

export const invalidCursor = (): DomainError =>
  invalidInput('paging.invalidCursor', 'The cursor is not valid for this call. Pass nextCursor exactly as returned, or omit it to start from the first page.');

export function toBase64Url(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function fromBase64Url(cursor: string): unknown {
  if (!/^[A-Za-z0-9_-]{1,8192}$/.test(cursor)) throw invalidCursor();
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
  } catch {
    throw invalidCursor();
  }
}

/** Encodes Graph's nextLink as a cursor; a nextLink outside the base URL is a Graph fault. */
export function encodeNextLink(nextLink: string, base: URL): string {
  let url: URL;
  try {
    url = new URL(nextLink);
  } catch {
    throw badNextLink();
  }
  const basePath = base.pathname.replace(/\/+$/, '');
  if (url.origin !== base.origin || !url.pathname.startsWith(`${basePath}/`)) throw badNextLink();
  // Teams ids carry a raw `@` (`19:x@thread.v2`); percent-encoded it addresses the same resource and
  // passes the decoder's guard against userinfo tricks.
  return toBase64Url({ v: 1, p: (url.pathname.slice(basePath.length) + url.search).replace(/@/g, '%40') });
}

/**
 * Decodes a cursor into a path+query under `base` whose path (relative to the base) matches `resource`.
 * Throws `paging.invalidCursor` for anything else.
 */
export function decodeNextLink(cursor: string, base: URL, resource: RegExp): string {
  const data = fromBase64Url(cursor) as { v?: unknown; p?: unknown } | null;
  if (typeof data !== 'object' || data === null || data.v !== 1 || typeof data.p !== 'string') throw invalidCursor();
  const p = data.p;
  // eslint-disable-next-line no-control-regex
  if (p.length > MAX_RELATIVE_LENGTH || !p.startsWith('/') || p.startsWith('//') || /[\\#@\u0000-\u001f\u007f]/.test(p)) {
    throw invalidCursor();
  }
  const basePath = base.pathname.replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(`${base.origin}${basePath}${p}`);
  } catch {
    throw invalidCursor();
  }
  // The URL parser has resolved dot segments (also %2e%2e): check what would really be requested.
  if (url.origin !== base.origin || url.username !== '' || url.password !== '' || !url.pathname.startsWith(`${basePath}/`)) {
    throw invalidCursor();
  }
  const relative = url.pathname.slice(basePath.length);
  if (!resource.test(relative)) throw invalidCursor();
  return relative + url.search;
}

function badNextLink(): DomainError {
  return new DomainError('unavailable', 'graph.badNextLink', 'Microsoft Graph returned a paging link this server cannot follow. Retry in a moment.');
}
