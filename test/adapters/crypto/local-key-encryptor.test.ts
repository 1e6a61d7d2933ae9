import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LocalKeyEncryptor, parseLocalKeyRing } from '../../../src/adapters/crypto/local-key-encryptor.js';
import { describeEncryptorContract } from '../../contracts/encryptor.contract.js';

const key = (id: string): { id: string; key: Uint8Array } => ({ id, key: new Uint8Array(randomBytes(32)) });

describeEncryptorContract({
  make: async () => {
    const old = key('2024-01');
    return { encryptor: new LocalKeyEncryptor([old]), rotated: new LocalKeyEncryptor([key('2025-06'), old]) };
  },
});

describe('parseLocalKeyRing', () => {
  it('reads "id:base64" entries, current key first', () => {
    const a = randomBytes(32).toString('base64');
    const b = randomBytes(32).toString('base64');
    const ring = parseLocalKeyRing(`new:${a},\nold:${b}`);
    expect(ring.map((k) => k.id)).toEqual(['new', 'old']);
    expect(Buffer.from(ring[0]?.key ?? []).toString('base64')).toBe(a);
  });

  it('refuses short keys and empty rings at start-up', () => {
    expect(() => parseLocalKeyRing('k:c2hvcnQ=')).toThrow(/32 bytes/);
    expect(() => parseLocalKeyRing(' ')).toThrow(/empty/);
  });
});
