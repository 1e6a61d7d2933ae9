import { afterEach, describe, expect, it } from 'vitest';
import type { EncryptionContext, Encryptor } from '../../src/ports/encryptor.js';

export interface EncryptorSubject {
  /** Seals under the current key. */
  encryptor: Encryptor;
  /** The same deployment after rotating to a new current key; the old key still decrypts. */
  rotated: Encryptor;
  close?(): Promise<void>;
}

const ALICE: EncryptionContext = { tenantId: 'tenant-1', userId: 'alice', purpose: 'graph-token-cache' };
const text = (value: string): Uint8Array => new TextEncoder().encode(value);
const decode = (value: Uint8Array): string => new TextDecoder().decode(value);

const UNDECRYPTABLE = { category: 'auth_required', code: 'crypto.undecryptable' };

/** Flips one character of the final envelope segment (ciphertext or tag). */
function tamper(sealed: string): string {
  const last = sealed.length - 3;
  const replacement = sealed[last] === 'A' ? 'B' : 'A';
  return `${sealed.slice(0, last)}${replacement}${sealed.slice(last + 1)}`;
}

export function describeEncryptorContract(options: {
  make: () => Promise<EncryptorSubject>;
}): void {
  describe('Encryptor contract', () => {
    let subject: EncryptorSubject | undefined;
    const make = async (): Promise<EncryptorSubject> => (subject = await options.make());
    afterEach(async () => {
      await subject?.close?.();
      subject = undefined;
    });

    it('round-trips and never shows the plaintext', async () => {
      const s = await make();
      const secret = 'refresh-token-0.AXYZ-very-secret';
      const sealed = await s.encryptor.encrypt(text(secret), ALICE);
      expect(sealed).not.toContain(secret);
      expect(sealed).not.toContain(Buffer.from(secret).toString('base64').slice(0, 16));
      const opened = await s.encryptor.decrypt(sealed, ALICE);
      expect(decode(opened.plaintext)).toBe(secret);
      expect(opened.stale).toBe(false);
      expect(await s.encryptor.encrypt(text(secret), ALICE)).not.toBe(sealed);
    });

    it(
      'refuses to open a ciphertext under another user, tenant or purpose',
      async () => {
        const s = await make();
        const sealed = await s.encryptor.encrypt(text('alice-token'), ALICE);
        for (const other of [
          { ...ALICE, userId: 'bob' },
          { ...ALICE, tenantId: 'tenant-2' },
          { ...ALICE, purpose: 'something-else' },
        ]) {
          await expect(s.encryptor.decrypt(sealed, other)).rejects.toMatchObject(UNDECRYPTABLE);
        }
      },
    );

    it(
      'turns tampered or garbage ciphertext into a sign-in-again error',
      async () => {
        const s = await make();
        const sealed = await s.encryptor.encrypt(text('alice-token'), ALICE);
        const parts = sealed.split('.');
        const garbage = [
          '',
          'not-an-envelope',
          `${parts[0]}.x.y`,
          `${parts[0]}.${'%'.repeat(20)}`,
          parts.slice(0, -1).join('.'),
          tamper(sealed),
        ];
        for (const bad of garbage)
          await expect(s.encryptor.decrypt(bad, ALICE)).rejects.toMatchObject(UNDECRYPTABLE);
      },
    );

    it(
      'opens data sealed under the previous key and flags it for re-encryption',
      async () => {
        const s = await make();
        const old = await s.encryptor.encrypt(text('before-rotation'), ALICE);
        const opened = await s.rotated.decrypt(old, ALICE);
        expect(decode(opened.plaintext)).toBe('before-rotation');
        expect(opened.stale).toBe(true);
        const resealed = await s.rotated.encrypt(opened.plaintext, ALICE);
        expect(await s.rotated.decrypt(resealed, ALICE)).toMatchObject({ stale: false });
      },
    );

    it('round-trips many concurrent operations for many users', async () => {
      const s = await make();
      const users = Array.from({ length: 30 }, (_, i) => ({ ...ALICE, userId: `user-${i % 5}` }));
      const sealed = await Promise.all(users.map((ctx, i) => s.encryptor.encrypt(text(`token-${i}`), ctx)));
      const opened = await Promise.all(
        sealed.map((value, i) => s.encryptor.decrypt(value, users[i] ?? ALICE)),
      );
      expect(opened.map((o) => decode(o.plaintext))).toEqual(users.map((_, i) => `token-${i}`));
    });
  });
}
