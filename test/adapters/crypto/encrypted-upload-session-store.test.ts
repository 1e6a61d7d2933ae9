import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EncryptedUploadSessionStore } from '../../../src/adapters/crypto/encrypted-upload-session-store.js';
import { LocalKeyEncryptor } from '../../../src/adapters/crypto/local-key-encryptor.js';
import { InMemoryUploadSessionStore } from '../../../src/adapters/memory/in-memory-upload-session-store.js';
import { DomainError } from '../../../src/domain/errors.js';
import type { Encryptor } from '../../../src/ports/encryptor.js';
import { describeUploadSessionStoreContract, makeUploadState } from '../../contracts/upload-session-store.contract.js';

const URL = 'https://upload.example/session/abc?tempauth=secret-capability';
const key = (id: string): LocalKeyEncryptor => new LocalKeyEncryptor([{ id, key: new Uint8Array(randomBytes(32)) }]);

function makeStores(encryptor: Encryptor = key('k1')): { inner: InMemoryUploadSessionStore; store: EncryptedUploadSessionStore; now: number } {
  const now = 1_700_000_000_000;
  const inner = new InMemoryUploadSessionStore({ now: () => now });
  return { inner, store: new EncryptedUploadSessionStore(inner, encryptor), now };
}

describeUploadSessionStoreContract({
  make: async () => {
    let now = 1_700_000_000_000;
    const store = new EncryptedUploadSessionStore(new InMemoryUploadSessionStore({ now: () => now }), key('k1'));
    return { store, now: () => now, advance: async (ms) => void (now += ms) };
  },
});

describe('EncryptedUploadSessionStore', () => {
  it('stores the upload URL sealed, on create and on every update, and opens it on read', async () => {
    const { inner, store, now } = makeStores();
    const state = makeUploadState(now, { uploadUrl: URL });
    await store.create(state);
    const raw = await inner.get(state.id);
    expect(raw?.uploadUrl.startsWith('lk1.')).toBe(true);
    expect(JSON.stringify(raw)).not.toContain('upload.example');
    expect(await store.update({ ...state, committed: 327_680 }, 1)).toBe(true);
    expect(JSON.stringify(await inner.get(state.id))).not.toContain('upload.example');
    expect(await store.get(state.id)).toMatchObject({ uploadUrl: URL, committed: 327_680, version: 2 });
  });

  it('binds the URL to its owner: a record moved to another user reads as absent', async () => {
    const { inner, store, now } = makeStores();
    const state = makeUploadState(now, { uploadUrl: URL });
    await store.create(state);
    const raw = await inner.get(state.id);
    if (raw === null) throw new Error('not stored');
    expect(await inner.update({ ...raw, owner: { tenantId: raw.owner.tenantId, objectId: 'attacker' } }, 1)).toBe(true);
    expect(await store.get(state.id)).toBeNull();
  });

  it('reads a URL sealed under a key it no longer has as absent, and lets key-service outages through', async () => {
    const { inner, now } = makeStores();
    const state = makeUploadState(now, { uploadUrl: URL });
    await new EncryptedUploadSessionStore(inner, key('old')).create(state);
    expect(await new EncryptedUploadSessionStore(inner, key('new')).get(state.id)).toBeNull();

    const down: Encryptor = {
      encrypt: async () => {
        throw new DomainError('unavailable', 'kms.unavailable', 'KMS Decrypt is unavailable; try again shortly.');
      },
      decrypt: async () => {
        throw new DomainError('unavailable', 'kms.unavailable', 'KMS Decrypt is unavailable; try again shortly.');
      },
    };
    await expect(new EncryptedUploadSessionStore(inner, down).get(state.id)).rejects.toMatchObject({ code: 'kms.unavailable' });
  });
});
