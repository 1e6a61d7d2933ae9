import { createHash } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function digest(parts: ReadonlyArray<string | number>): Buffer {
  return createHash('sha256').update(parts.join('\u0000')).digest();
}

/** Exchange-style opaque id (messages, events, folders): long base64url strings like Graph's "AAMkAD...". */
export function exchangeId(...parts: ReadonlyArray<string | number>): string {
  return `AAMkAD${digest(parts).toString('base64url')}AAA=`;
}

/** OneDrive for Business-style item id: "01" + 32 base32 characters. */
export function driveItemId(...parts: ReadonlyArray<string | number>): string {
  const bytes = digest(parts);
  let out = '01';
  for (let i = 0; i < 32; i++) out += BASE32[(bytes[i] ?? 0) & 31];
  return out;
}

/** A GUID-shaped id derived from a seed (for conversation ids, hit ids, join URLs). */
export function guidFrom(...parts: ReadonlyArray<string | number>): string {
  const h = digest(parts).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
