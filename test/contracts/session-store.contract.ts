import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { McpSession, SessionStore } from '../../src/ports/session-store.js';

export interface SessionStoreSubject {
  store: SessionStore;
  now(): number;
  advance(ms: number): Promise<void>;
  /** Plants malformed data where session `id` lives. */
  corrupt(id: string): Promise<void>;
  close?(): Promise<void>;
}

export function makeSession(now: number, overrides: Partial<McpSession> = {}): McpSession {
  return {
    id: randomUUID(),
    tenantId: `t-${randomUUID()}`,
    objectId: `o-${randomUUID()}`,
    subject: 'subject-1',
    clientId: 'client-1',
    createdAt: now,
    expiresAt: now + 3_600_000,
    ...overrides,
  };
}

export function describeSessionStoreContract(options: {
  make: () => Promise<SessionStoreSubject>;
}): void {
  describe('SessionStore contract', () => {
    let subject: SessionStoreSubject | undefined;
    const make = async (): Promise<SessionStoreSubject> => (subject = await options.make());
    afterEach(async () => {
      await subject?.close?.();
      subject = undefined;
    });

    it('round-trips a session, profile included', async () => {
      const s = await make();
      const session = makeSession(s.now(), { profile: ['mail', 'calendar'] });
      await s.store.create(session);
      expect(await s.store.get(session.id)).toEqual(session);
      expect(await s.store.get(randomUUID())).toBeNull();
    });

    it('stops returning a session once it expires', async () => {
      const s = await make();
      const session = makeSession(s.now(), { expiresAt: s.now() + 1_000 });
      await s.store.create(session);
      expect(await s.store.get(session.id)).not.toBeNull();
      await s.advance(1_500);
      expect(await s.store.get(session.id)).toBeNull();
    });

    it('deletes one session', async () => {
      const s = await make();
      const session = makeSession(s.now());
      await s.store.create(session);
      await s.store.delete(session.id);
      await s.store.delete(session.id);
      expect(await s.store.get(session.id)).toBeNull();
    });

    it("deletes all of one user's sessions and no one else's", async () => {
      const s = await make();
      const alice = makeSession(s.now());
      const aliceMore = [1, 2].map(() =>
        makeSession(s.now(), { tenantId: alice.tenantId, objectId: alice.objectId }),
      );
      const bob = makeSession(s.now(), { tenantId: alice.tenantId });
      for (const session of [alice, ...aliceMore, bob]) await s.store.create(session);
      expect(await s.store.deleteForUser(alice.tenantId, alice.objectId)).toBe(3);
      for (const session of [alice, ...aliceMore]) expect(await s.store.get(session.id)).toBeNull();
      expect(await s.store.get(bob.id)).toEqual(bob);
      expect(await s.store.deleteForUser(alice.tenantId, alice.objectId)).toBe(0);
    });

    it('keeps every one of many concurrently created sessions', async () => {
      const s = await make();
      const sessions = Array.from({ length: 40 }, () => makeSession(s.now()));
      await Promise.all(sessions.map((session) => s.store.create(session)));
      const read = await Promise.all(sessions.map((session) => s.store.get(session.id)));
      expect(read).toEqual(sessions);
    });

    it('reads malformed stored data as no session, without throwing', async () => {
      const s = await make();
      const session = makeSession(s.now());
      await s.store.create(session);
      await s.corrupt(session.id);
      expect(await s.store.get(session.id)).toBeNull();
    });
  });
}
