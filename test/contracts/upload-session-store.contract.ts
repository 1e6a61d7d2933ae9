import { randomBytes, randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { UploadSessionState } from '../../src/domain/upload-session.js';
import type { UploadSessionStore } from '../../src/ports/upload-session-store.js';

export interface UploadSessionStoreSubject {
  store: UploadSessionStore;
  now(): number;
  advance(ms: number): Promise<void>;
  close?(): Promise<void>;
}

export function makeUploadState(now: number, overrides: Partial<UploadSessionState> = {}): UploadSessionState {
  return {
    id: `up_${randomUUID().replace(/-/g, '')}`,
    owner: { tenantId: 't-1', objectId: 'o-1' },
    target: { kind: 'file', folder: { path: '/Uploads' }, conflict: 'fail' },
    name: 'file.bin',
    size: 1_000_000,
    uploadUrl: 'https://upload.example/session/abc',
    committed: 0,
    tail: new Uint8Array(),
    status: 'active',
    expiresAt: now + 3_600_000,
    createdAt: now,
    updatedAt: now,
    version: 1,
    ...overrides,
  };
}

/** What every UploadSessionStore must do; each adapter's test calls this with its own `make`. */
export function describeUploadSessionStoreContract(options: { make: () => Promise<UploadSessionStoreSubject> }): void {
  describe('UploadSessionStore contract', () => {
    let subject: UploadSessionStoreSubject | undefined;
    const make = async (): Promise<UploadSessionStoreSubject> => (subject = await options.make());
    afterEach(async () => {
      await subject?.close?.();
      subject = undefined;
    });

    it('round-trips a session, tail bytes and item included', async () => {
      const s = await make();
      const state = makeUploadState(s.now(), { tail: new Uint8Array([1, 2, 3, 255]), item: { id: 'i', name: 'n', kind: 'file', size: 4, modifiedAt: 'x' } });
      await s.store.create(state);
      const read = await s.store.get(state.id);
      expect(read).toEqual(state);
      expect(read?.tail).toBeInstanceOf(Uint8Array);
      expect(await s.store.get(`up_${randomUUID().replace(/-/g, '')}`)).toBeNull();
    });

    it('round-trips an attachment upload and its attachment id', async () => {
      const s = await make();
      const state = makeUploadState(s.now(), { target: { kind: 'attachment', messageId: 'AAMkAD=', contentType: 'application/pdf' }, status: 'completed', attachmentId: 'AAMkAT=' });
      await s.store.create(state);
      expect(await s.store.get(state.id)).toEqual(state);
    });

    it('updates only from the current version (compare-and-set)', async () => {
      const s = await make();
      const state = makeUploadState(s.now());
      await s.store.create(state);
      expect(await s.store.update({ ...state, committed: 327_680 }, 1)).toBe(true);
      expect(await s.store.update({ ...state, committed: 655_360 }, 1)).toBe(false);
      const read = await s.store.get(state.id);
      expect(read).toMatchObject({ committed: 327_680, version: 2 });
      expect(await s.store.update({ ...state, id: `up_${randomUUID().replace(/-/g, '')}` }, 1)).toBe(false);
    });

    it('lets exactly one of two concurrent updates from the same version win', async () => {
      const s = await make();
      const state = makeUploadState(s.now());
      await s.store.create(state);
      const results = await Promise.all([
        s.store.update({ ...state, committed: 327_680 }, 1),
        s.store.update({ ...state, committed: 655_360 }, 1),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      const read = await s.store.get(state.id);
      expect(read?.version).toBe(2);
      expect(read?.committed).toBe(results[0] ? 327_680 : 655_360);
    });

    it('holds the largest tail a session can have (320 KiB - 1 bytes)', async () => {
      const s = await make();
      const tail = new Uint8Array(randomBytes(327_679));
      const state = makeUploadState(s.now(), { committed: 327_680, tail });
      await s.store.create(state);
      const read = await s.store.get(state.id);
      expect(Buffer.from(read?.tail ?? []).equals(tail)).toBe(true);
      expect(await s.store.update({ ...state, tail: new Uint8Array() }, 1)).toBe(true);
      expect((await s.store.get(state.id))?.tail.byteLength).toBe(0);
    });

    it('keeps no reference to what the caller holds', async () => {
      const s = await make();
      const state = makeUploadState(s.now(), { tail: new Uint8Array([9]) });
      await s.store.create(state);
      state.tail[0] = 0;
      state.committed = 42;
      expect(await s.store.get(state.id)).toMatchObject({ committed: 0, tail: new Uint8Array([9]) });
    });

    it('deletes, and forgets sessions a grace period after they expire', async () => {
      const s = await make();
      const gone = makeUploadState(s.now());
      await s.store.create(gone);
      await s.store.delete(gone.id);
      expect(await s.store.get(gone.id)).toBeNull();
      const expiring = makeUploadState(s.now(), { expiresAt: s.now() + 1_000 });
      await s.store.create(expiring);
      await s.advance(2_000);
      // Still answered after expiry, so a late caller learns "expired" rather than "unknown".
      expect(await s.store.get(expiring.id)).not.toBeNull();
      await s.advance(25 * 60 * 60 * 1000);
      expect(await s.store.get(expiring.id)).toBeNull();
      // Nor can it be written any more.
      expect(await s.store.update({ ...expiring, status: 'expired' }, 1)).toBe(false);
    });
  });
}
