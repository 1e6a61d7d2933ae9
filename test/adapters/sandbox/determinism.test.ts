import { describe, expect, it } from 'vitest';
import {
  createSeededTenant,
  SEED_COUNTS,
  SEEDED_TENANTS,
  SEEDED_USERS,
} from '../../../src/adapters/sandbox/seed.js';
import type { SandboxTenant } from '../../../src/adapters/sandbox/sandbox-tenant.js';

function fingerprint(world: SandboxTenant): unknown {
  return SEEDED_USERS.map((u) => ({
    mail: world.mailbox(u.id).sorted.map((m) => [m.id, m.subject, m.receivedMs, m.isRead, m.from.address]),
    events: world.calendar(u.id).sorted.map((e) => [e.id, e.subject, e.startMs, e.attendees.length]),
    files: [...world.drive(u.id).all].map((n) => [n.id, n.name, n.size, n.parentId]),
  }));
}

describe('sandbox seed', () => {
  it('is deterministic: the same seed gives the same tenant, another seed another', () => {
    const a = fingerprint(createSeededTenant({ seed: 7 }));
    expect(fingerprint(createSeededTenant({ seed: 7 }))).toEqual(a);
    expect(fingerprint(createSeededTenant({ seed: 8 }))).not.toEqual(a);
  });

  it('seeds two tenants with realistic volumes per user', () => {
    const world = createSeededTenant();
    expect(
      SEEDED_TENANTS.map((t) => [t.name, SEEDED_USERS.filter((u) => u.tenantId === t.id).length]),
    ).toEqual([
      ['contoso', 6],
      ['fabrikam', 2],
    ]);
    for (const user of SEEDED_USERS) {
      expect(world.mailbox(user.id).sorted).toHaveLength(
        SEED_COUNTS.inbox + SEED_COUNTS.sentitems + SEED_COUNTS.archive,
      );
      expect(world.calendar(user.id).sorted.length).toBeGreaterThanOrEqual(70);
      const files = [...world.drive(user.id).all].filter((n) => !n.isFolder);
      expect(files.length).toBeGreaterThanOrEqual(SEED_COUNTS.largeFolderFiles + 140);
    }
    expect(new Set(SEEDED_USERS.map((u) => u.userPrincipalName)).size).toBe(SEEDED_USERS.length);
  });
});
