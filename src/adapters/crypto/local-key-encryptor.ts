import type { Decrypted, EncryptionContext, Encryptor } from '../../ports/encryptor.js';
import {
  associatedData,
  decodeEnvelope,
  encodeEnvelope,
  openAesGcm,
  sealAesGcm,
  undecryptable,
} from './aes-gcm-envelope.js';

const VERSION = 'lk1';

export interface LocalKey {
  id: string;
  /** 32 bytes for AES-256. */
  key: Uint8Array;
}

/**
 * Parses a key ring `id:base64key,id:base64key` (current key first), as kept in configuration or
 * a key file. Throws at start-up on a bad ring rather than failing per request.
 */
export function parseLocalKeyRing(spec: string): LocalKey[] {
  const keys = spec
    .split(/[,\n]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
    .map((entry) => {
      const colon = entry.indexOf(':');
      const id = entry.slice(0, colon);
      const key = Buffer.from(entry.slice(colon + 1), 'base64');
      if (colon <= 0 || key.length !== 32)
        throw new Error('Each local encryption key must be "id:base64" of 32 bytes');
      return { id, key: new Uint8Array(key) };
    });
  if (keys.length === 0) throw new Error('The local encryption key ring is empty');
  return keys;
}

/**
 * AES-256-GCM with keys from configuration, for the embedded default and development. The envelope
 * `lk1.<keyId>.<iv>.<ciphertext>.<tag>` names its key, so previous keys keep decrypting after a rotation.
 */
export class LocalKeyEncryptor implements Encryptor {
  private readonly current: LocalKey;
  private readonly byId: Map<string, Uint8Array>;

  /** `keys[0]` is the current key; the rest only decrypt. */
  constructor(keys: LocalKey[]) {
    const [current] = keys;
    if (current === undefined) throw new Error('LocalKeyEncryptor needs at least one key');
    this.current = current;
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  async encrypt(plaintext: Uint8Array, context: EncryptionContext): Promise<string> {
    const sealed = sealAesGcm(this.current.key, plaintext, associatedData(VERSION, this.current.id, context));
    return encodeEnvelope(VERSION, [
      Buffer.from(this.current.id, 'utf8'),
      sealed.iv,
      sealed.ciphertext,
      sealed.tag,
    ]);
  }

  async decrypt(sealed: string, context: EncryptionContext): Promise<Decrypted> {
    const [keyIdBytes, iv, ciphertext, tag] = decodeEnvelope(sealed, VERSION, 4);
    if (keyIdBytes === undefined || iv === undefined || ciphertext === undefined || tag === undefined)
      throw undecryptable();
    const keyId = keyIdBytes.toString('utf8');
    const key = this.byId.get(keyId);
    if (key === undefined) throw undecryptable();
    const plaintext = openAesGcm(key, { iv, ciphertext, tag }, associatedData(VERSION, keyId, context));
    return { plaintext, stale: keyId !== this.current.id };
  }
}
