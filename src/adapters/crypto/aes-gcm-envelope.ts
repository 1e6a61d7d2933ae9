import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DomainError } from '../../domain/errors.js';
import type { EncryptionContext } from '../../ports/encryptor.js';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The one error for any ciphertext we cannot open: the user signs in again. */
export function undecryptable(cause?: unknown): DomainError {
  return new DomainError(
    'auth_required',
    'crypto.undecryptable',
    'Stored credentials could not be read; please sign in again.',
    {
      cause,
    },
  );
}

/**
 * Additional authenticated data: the envelope version, key id and the whole encryption context,
 * so a ciphertext opens only for the same tenant, user and purpose under the key it names.
 */
export function associatedData(version: string, keyId: string, context: EncryptionContext): Buffer {
  return Buffer.from(
    JSON.stringify([version, keyId, context.tenantId, context.userId, context.purpose]),
    'utf8',
  );
}

export interface Sealed {
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

export function sealAesGcm(key: Uint8Array, plaintext: Uint8Array, aad: Buffer): Sealed {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, ciphertext, tag: cipher.getAuthTag() };
}

/** Opens a sealed value; any failure (wrong key, context, tampering) is `crypto.undecryptable`. */
export function openAesGcm(key: Uint8Array, sealed: Sealed, aad: Buffer): Uint8Array {
  if (sealed.iv.length !== IV_BYTES || sealed.tag.length !== TAG_BYTES) throw undecryptable();
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(sealed.tag);
    return new Uint8Array(Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]));
  } catch (error) {
    throw undecryptable(error);
  }
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Joins envelope fields as `version.b64url.b64url...`. */
export function encodeEnvelope(version: string, fields: Uint8Array[]): string {
  return [version, ...fields.map((f) => Buffer.from(f).toString('base64url'))].join('.');
}

/** Splits an envelope of `version` with exactly `count` fields, or fails as undecryptable. */
export function decodeEnvelope(sealed: string, version: string, count: number): Buffer[] {
  const parts = sealed.split('.');
  if (parts[0] !== version || parts.length !== count + 1) throw undecryptable();
  const fields = parts.slice(1);
  if (fields.some((f) => !BASE64URL.test(f))) throw undecryptable();
  return fields.map((f) => Buffer.from(f, 'base64url'));
}
