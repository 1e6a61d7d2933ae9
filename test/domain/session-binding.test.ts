import { describe, expect, it } from 'vitest';
import { SessionBinding } from '../../src/domain/session-binding.js';
import type { Identity } from '../../src/domain/identity.js';
import { ManualClock, TestAuditLog, TestSessionStore } from '../support/stores.js';

const alice: Identity = { tenantId: 't1', objectId: 'o1', subject: 's1', clientId: 'c1', scopes: [] };

function make(): { binding: SessionBinding; clock: ManualClock; audit: TestAuditLog } {
  const clock = new ManualClock(1_000_000);
  const audit = new TestAuditLog();
  return { binding: new SessionBinding(new TestSessionStore(), audit, clock, { ttlMs: 60_000, clockSkewMs: 5_000 }), clock, audit };
}

describe('SessionBinding', () => {
  it('accepts the owner from any of their clients', async () => {
    const { binding } = make();
    const session = await binding.open(alice);
    expect(session.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await expect(binding.assertOwner(session.id, { ...alice, clientId: 'c2' })).resolves.toMatchObject({ id: session.id });
  });

  it.each([
    ['another user', { objectId: 'o2' }],
    ['another tenant', { tenantId: 't2' }],
    ['another subject', { subject: 's2' }],
  ])('rejects %s with not_found and audits it', async (_name, change) => {
    const { binding, audit } = make();
    const session = await binding.open(alice);
    await expect(binding.assertOwner(session.id, { ...alice, ...change })).rejects.toMatchObject({ category: 'not_found', code: 'session.notFound' });
    expect(audit.find('session.mismatch', 'denied')).toHaveLength(1);
  });

  it('honours the clock skew on expiry, then forgets the session', async () => {
    const { binding, clock } = make();
    const session = await binding.open(alice);
    clock.advance(60_000 + 4_000);
    await expect(binding.assertOwner(session.id, alice)).resolves.toBeDefined();
    clock.advance(2_000);
    await expect(binding.assertOwner(session.id, alice)).rejects.toMatchObject({ category: 'not_found' });
  });
});
