import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { IdempotencyStore } from '../../src/ports/idempotency-store.js';
import { PAST_SHORT_TTL_MS, SHORT_TTL_MS } from './contract-case.js';

export interface IdempotencyStoreSubject {
  store: IdempotencyStore;
  advance(ms: number): Promise<void>;
  /** Plants malformed data where `key` lives. */
  corrupt(key: string): Promise<void>;
  close?(): Promise<void>;
}

const TTL = 60_000;

export function describeIdempotencyStoreContract(options: {
  make: () => Promise<IdempotencyStoreSubject>;
}): void {
  describe('IdempotencyStore contract', () => {
    let subject: IdempotencyStoreSubject | undefined;
    const make = async (): Promise<IdempotencyStoreSubject> => (subject = await options.make());
    afterEach(async () => {
      await subject?.close?.();
      subject = undefined;
    });
    const newKey = (): string => `idem-${randomUUID()}`;

    it(
      'claims once, then reports in progress or a fingerprint mismatch',
      async () => {
        const s = await make();
        const key = newKey();
        expect(await s.store.claim(key, 'fp-a', TTL)).toEqual({ state: 'claimed' });
        expect(await s.store.claim(key, 'fp-a', TTL)).toEqual({ state: 'in_progress' });
        expect(await s.store.claim(key, 'fp-b', TTL)).toEqual({ state: 'mismatch' });
      },
    );

    it('replays the stored result once completed', async () => {
      const s = await make();
      const key = newKey();
      await s.store.claim(key, 'fp', TTL);
      await s.store.complete(key, 'fp', '{"messageId":"m1"}', TTL);
      expect(await s.store.claim(key, 'fp', TTL)).toEqual({
        state: 'completed',
        result: '{"messageId":"m1"}',
      });
      expect(await s.store.claim(key, 'other', TTL)).toEqual({ state: 'mismatch' });
    });

    it('releases only a pending claim with the same fingerprint', async () => {
      const s = await make();
      const key = newKey();
      await s.store.claim(key, 'fp', TTL);
      await s.store.release(key, 'someone-else');
      expect(await s.store.claim(key, 'fp', TTL)).toEqual({ state: 'in_progress' });
      await s.store.release(key, 'fp');
      expect(await s.store.claim(key, 'fp', TTL)).toEqual({ state: 'claimed' });
      await s.store.complete(key, 'fp', 'done', TTL);
      await s.store.release(key, 'fp');
      expect(await s.store.claim(key, 'fp', TTL)).toEqual({ state: 'completed', result: 'done' });
    });

    it('gives exactly one of many concurrent claimants the claim', async () => {
      const s = await make();
      const key = newKey();
      const claims = await Promise.all(Array.from({ length: 30 }, () => s.store.claim(key, 'fp', TTL)));
      expect(claims.filter((c) => c.state === 'claimed')).toHaveLength(1);
      expect(claims.filter((c) => c.state === 'in_progress')).toHaveLength(29);
    });

    it('lets a claim and a completed result expire', async () => {
      const s = await make();
      const pending = newKey();
      const done = newKey();
      await s.store.claim(pending, 'fp', SHORT_TTL_MS);
      await s.store.claim(done, 'fp', TTL);
      await s.store.complete(done, 'fp', 'result', SHORT_TTL_MS);
      await s.advance(PAST_SHORT_TTL_MS);
      expect(await s.store.claim(pending, 'fp', TTL)).toEqual({ state: 'claimed' });
      expect(await s.store.claim(done, 'fp', TTL)).toEqual({ state: 'claimed' });
    });

    it('treats malformed stored data as no claim, without throwing', async () => {
      const s = await make();
      const key = newKey();
      await s.store.claim(key, 'fp', TTL);
      await s.corrupt(key);
      expect(await s.store.claim(key, 'fp', TTL)).toEqual({ state: 'claimed' });
      expect(await s.store.claim(key, 'fp', TTL)).toEqual({ state: 'in_progress' });
    });
  });
}
