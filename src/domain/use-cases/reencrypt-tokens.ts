import { isDomainError } from '../errors.js';
import type { Decrypted, Encryptor } from '../../ports/encryptor.js';
import type { TokenStore } from '../../ports/token-store.js';

export interface ReencryptTokensInput {
  tenantIds: string[];
  /** The encryption-context purpose the token caches were sealed for. */
  purpose: string;
}

export interface ReencryptTokensResult {
  scanned: number;
  reencrypted: number;
  /** Another writer stored a newer version first; it was sealed under the current key anyway. */
  conflicts: number;
  /** Could not be opened; those users sign in again on their next call. */
  undecryptable: number;
}

/**
 * Operator command after a key rotation: re-seals every stored token cache still under an old key
 * and writes it as the next version, so a concurrent refresh is never overwritten. Reads re-encrypt
 * lazily too; this finishes the job for users who are not active.
 */
export class ReencryptTokens {
  constructor(
    private readonly tokens: TokenStore,
    private readonly encryptor: Encryptor,
  ) {}

  async execute(input: ReencryptTokensInput): Promise<ReencryptTokensResult> {
    const result: ReencryptTokensResult = { scanned: 0, reencrypted: 0, conflicts: 0, undecryptable: 0 };
    for (const tenantId of input.tenantIds) {
      for (const objectId of await this.tokens.listUsers(tenantId)) {
        const record = await this.tokens.get(tenantId, objectId);
        if (record === null) continue;
        result.scanned += 1;
        const context = { tenantId, userId: objectId, purpose: input.purpose };
        let opened: Decrypted;
        try {
          opened = await this.encryptor.decrypt(record.sealed, context);
        } catch (error) {
          if (isDomainError(error) && error.code === 'crypto.undecryptable') {
            result.undecryptable += 1;
            continue;
          }
          throw error;
        }
        if (!opened.stale) continue;
        const sealed = await this.encryptor.encrypt(opened.plaintext, context);
        const stored = await this.tokens.put({ ...record, sealed, version: record.version + 1 });
        if (stored) result.reencrypted += 1;
        else result.conflicts += 1;
      }
    }
    return result;
  }
}
