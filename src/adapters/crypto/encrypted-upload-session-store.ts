import { isDomainError } from '../../domain/errors.js';
import type { UploadSessionState } from '../../domain/upload-session.js';
import type { EncryptionContext, Encryptor } from '../../ports/encryptor.js';
import type { UploadSessionStore } from '../../ports/upload-session-store.js';

/** Why the ciphertext exists; part of its encryption context. */
export const UPLOAD_URL_PURPOSE = 'upload-url';

/**
 * Seals the Graph upload URL of every upload session before it reaches the store underneath
 * (memory, Redis or DynamoDB) and opens it on the way out. The URL is a bearer capability:
 * whoever holds it can write the file until the session expires, so it is never stored in clear.
 * The encryption context binds it to the session's owner (tenant + user) and its purpose, so a
 * record whose owner was altered no longer opens.
 *
 * A record whose URL will not open (tampered, or sealed under a key no longer configured) reads as
 * absent, like any malformed record; a failure to reach the key service propagates (`unavailable`).
 */
export class EncryptedUploadSessionStore implements UploadSessionStore {
  constructor(
    private readonly store: UploadSessionStore,
    private readonly encryptor: Encryptor,
  ) {}

  async create(state: UploadSessionState): Promise<void> {
    await this.store.create(await this.seal(state));
  }

  async get(id: string): Promise<UploadSessionState | null> {
    const stored = await this.store.get(id);
    if (stored === null) return null;
    try {
      const { plaintext } = await this.encryptor.decrypt(stored.uploadUrl, contextOf(stored));
      return { ...stored, uploadUrl: Buffer.from(plaintext).toString('utf8') };
    } catch (error) {
      if (isDomainError(error) && error.code === 'crypto.undecryptable') return null;
      throw error;
    }
  }

  async update(next: UploadSessionState, expectedVersion: number): Promise<boolean> {
    return this.store.update(await this.seal(next), expectedVersion);
  }

  delete(id: string): Promise<void> {
    return this.store.delete(id);
  }

  private async seal(state: UploadSessionState): Promise<UploadSessionState> {
    return { ...state, uploadUrl: await this.encryptor.encrypt(Buffer.from(state.uploadUrl, 'utf8'), contextOf(state)) };
  }
}

function contextOf(state: Pick<UploadSessionState, 'owner'>): EncryptionContext {
  return { tenantId: state.owner.tenantId, userId: state.owner.objectId, purpose: UPLOAD_URL_PURPOSE };
}
