import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LocalKeyEncryptor } from '../../../src/adapters/crypto/local-key-encryptor.js';
import { InMemoryTokenStore } from '../../../src/adapters/memory/in-memory-token-store.js';
import { ManualClock } from '../../../src/adapters/memory/manual-clock.js';
import { ReencryptTokens } from '../../../src/domain/use-cases/reencrypt-tokens.js';
import type { Encryptor } from '../../../src/ports/encryptor.js';

const PURPOSE = 'graph-token-cache';
const key = (id: string): { id: string; key: Uint8Array } => ({ id, key: new Uint8Array(randomBytes(32)) });
const text = (value: string): Uint8Array => new TextEncoder().encode(value);

describe('ReencryptTokens', () => {
  it('re-seals stale records under the current key as the next version, leaving fresh and broken ones', async () => {
    const clock = new ManualClock();
    const store = new InMemoryTokenStore(clock);
    const oldKey = key('old');
    const before = new LocalKeyEncryptor([oldKey]);
    const after = new LocalKeyEncryptor([key('new'), oldKey]);
    const put = async (enc: Encryptor, objectId: string, sealed?: string): Promise<void> => {
      const value =
        sealed ??
        (await enc.encrypt(text(`cache-${objectId}`), {
          tenantId: 't1',
          userId: objectId,
          purpose: PURPOSE,
        }));
      await store.put({
        tenantId: 't1',
        objectId,
        sealed: value,
        version: 1,
        expiresAt: clock.now() + 60_000,
      });
    };
    await put(before, 'stale-1');
    await put(before, 'stale-2');
    await put(after, 'fresh');
    await put(before, 'broken', 'lk1.garbage');

    const result = await new ReencryptTokens(store, after).execute({
      tenantIds: ['t1', 'empty-tenant'],
      purpose: PURPOSE,
    });
    expect(result).toEqual({ scanned: 4, reencrypted: 2, conflicts: 0, undecryptable: 1 });

    for (const objectId of ['stale-1', 'stale-2']) {
      const record = await store.get('t1', objectId);
      expect(record?.version).toBe(2);
      const opened = await after.decrypt(record?.sealed ?? '', {
        tenantId: 't1',
        userId: objectId,
        purpose: PURPOSE,
      });
      expect({ text: new TextDecoder().decode(opened.plaintext), stale: opened.stale }).toEqual({
        text: `cache-${objectId}`,
        stale: false,
      });
    }
    expect((await store.get('t1', 'fresh'))?.version).toBe(1);
    expect(
      await new ReencryptTokens(store, after).execute({ tenantIds: ['t1'], purpose: PURPOSE }),
    ).toMatchObject({ reencrypted: 0 });
  });

  it('counts a concurrent newer write as a conflict and does not overwrite it', async () => {
    const clock = new ManualClock();
    const store = new InMemoryTokenStore(clock);
    const oldKey = key('old');
    const before = new LocalKeyEncryptor([oldKey]);
    const after = new LocalKeyEncryptor([key('new'), oldKey]);
    const context = { tenantId: 't1', userId: 'u', purpose: PURPOSE };
    await store.put({
      tenantId: 't1',
      objectId: 'u',
      sealed: await before.encrypt(text('v1'), context),
      version: 1,
      expiresAt: clock.now() + 60_000,
    });
    // A refresh lands between the command's read and its write.
    const racing: Encryptor = {
      encrypt: async (plaintext, ctx) => {
        const newer = await after.encrypt(text('v2-from-refresh'), ctx);
        await store.put({
          tenantId: 't1',
          objectId: 'u',
          sealed: newer,
          version: 2,
          expiresAt: clock.now() + 60_000,
        });
        return after.encrypt(plaintext, ctx);
      },
      decrypt: (sealed, ctx) => after.decrypt(sealed, ctx),
    };
    expect(
      await new ReencryptTokens(store, racing).execute({ tenantIds: ['t1'], purpose: PURPOSE }),
    ).toMatchObject({ conflicts: 1, reencrypted: 0 });
    const stored = await store.get('t1', 'u');
    expect(new TextDecoder().decode((await after.decrypt(stored?.sealed ?? '', context)).plaintext)).toBe(
      'v2-from-refresh',
    );
  });
});
