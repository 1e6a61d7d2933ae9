import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDomainError } from '../../../src/domain/errors.js';
import { identityOf, makeEntraWorld, signInAs } from '../../support/entra.js';
import type { EntraWorld } from '../../support/entra.js';
import { ALEX, MEGAN, startSandboxIdp } from '../../support/sandbox-idp.js';
import type { RunningIdp } from '../../support/sandbox-idp.js';
import type { SignedInUser } from '../../../src/ports/identity-provider.js';

let idp: RunningIdp;
beforeAll(async () => {
  idp = await startSandboxIdp();
});
afterAll(async () => {
  await idp.server.close();
});

/** Signs the user in with a Graph token that is already inside MSAL's renewal window (i.e. expired for us). */
async function signInWithExpiredToken(world: EntraWorld, upn: string): Promise<SignedInUser> {
  idp.controls.accessTokenLifetimeSeconds = 5;
  try {
    return await signInAs(world, upn);
  } finally {
    idp.controls.accessTokenLifetimeSeconds = 3600;
  }
}

describe('refresh without storms', () => {
  it('500 concurrent calls of one user with an expired Graph token cause exactly one refresh', async () => {
    const world = makeEntraWorld(idp.settings);
    const user = await signInWithExpiredToken(world, MEGAN.userPrincipalName);
    const before = idp.controls.refreshCount(MEGAN.id);
    idp.controls.tokenLatencyMs = 50;
    try {
      const provider = world.makeProvider();
      const tokens = await Promise.all(Array.from({ length: 500 }, () => provider.getAccessToken(identityOf(user))));
      expect(new Set(tokens).size).toBe(1);
    } finally {
      idp.controls.tokenLatencyMs = 0;
    }
    expect(idp.controls.refreshCount(MEGAN.id) - before).toBe(1);
    // The rotated refresh token was persisted: the stored record moved on from the sign-in's version.
    expect((await world.custody.tokenStore.get(MEGAN.tenantId, MEGAN.id))?.version).toBe(2);
  });

  it('two provider instances (two processes) sharing the stores and lock still refresh once', async () => {
    const world = makeEntraWorld(idp.settings);
    const user = await signInWithExpiredToken(world, ALEX.userPrincipalName);
    const before = idp.controls.refreshCount(ALEX.id);
    idp.controls.tokenLatencyMs = 100;
    try {
      const [a, b] = [world.makeProvider(), world.makeProvider()];
      const calls = Array.from({ length: 500 }, (_, i) => (i % 2 === 0 ? a : b).getAccessToken(identityOf(user)));
      const tokens = await Promise.all(calls);
      expect(new Set(tokens).size).toBe(1);
    } finally {
      idp.controls.tokenLatencyMs = 0;
    }
    expect(idp.controls.refreshCount(ALEX.id) - before).toBe(1);
  });

  it('refreshes ahead of expiry in the background and keeps answering with the valid token', async () => {
    const world = makeEntraWorld(idp.settings);
    const user = await signInAs(world, MEGAN.userPrincipalName);
    const provider = world.makeProvider();
    const first = await provider.getAccessToken(identityOf(user));
    const before = idp.controls.refreshCount(MEGAN.id);
    // 57 minutes later: inside the refresh-ahead window (5 min + up to 1 min jitter) but not expired.
    world.clock.advance(57 * 60_000);
    expect(await provider.getAccessToken(identityOf(user))).toBe(first);
    await expect.poll(() => idp.controls.refreshCount(MEGAN.id) - before).toBe(1);
    await expect.poll(() => provider.getAccessToken(identityOf(user))).not.toBe(first);
  });

  it('backs off per tenant when Entra fails and recovers afterwards', async () => {
    const world = makeEntraWorld(idp.settings);
    const user = await signInWithExpiredToken(world, MEGAN.userPrincipalName);
    const provider = world.makeProvider({ breakAfterFailures: 2, backoffInitialMs: 300 });
    idp.controls.failNextTokenRequests(2);
    for (let i = 0; i < 2; i += 1) {
      const error = await provider.getAccessToken(identityOf(user)).catch((e: unknown) => e);
      expect(isDomainError(error) && error.code).toBe('entra.unavailable');
    }
    const requestsBefore = idp.controls.tokenRequests.length;
    const open = await provider.getAccessToken(identityOf(user)).catch((e: unknown) => e);
    expect(isDomainError(open) && [open.category, open.code]).toEqual(['unavailable', 'entra.backoff']);
    expect(idp.controls.tokenRequests.length).toBe(requestsBefore);
    expect(world.audit.find('graph_token.refresh', 'failure').map((e) => e.reason)).toContain('tenant_backoff');
    await new Promise((r) => setTimeout(r, 400));
    await expect(provider.getAccessToken(identityOf(user))).resolves.toMatch(/^graph\./);
  });
});
