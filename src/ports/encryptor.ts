/** Binds a ciphertext to whose data it is and why it exists; decrypting under another context fails. */
export interface EncryptionContext {
  tenantId: string;
  userId: string;
  purpose: string;
}

export interface Decrypted {
  plaintext: Uint8Array;
  /** True when the data was sealed under a previous key: re-encrypt and store it again. */
  stale: boolean;
}

/** Envelope encryption. Fails with a DomainError (`auth_required`, code `crypto.undecryptable`) on bad data. */
export interface Encryptor {
  encrypt(plaintext: Uint8Array, context: EncryptionContext): Promise<string>;
  decrypt(sealed: string, context: EncryptionContext): Promise<Decrypted>;
}
