import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDomainError } from '../../../src/domain/errors.js';
import { identityOf, makeEntraWorld, signInAs } from '../../support/entra.js';
import { GRAPH_SCOPES, MEGAN, startSandboxIdp } from '../../support/sandbox-idp.js';
import type { RunningIdp } from '../../support/sandbox-idp.js';

let idp: RunningIdp;
beforeAll(async () => {
  idp = await startSandboxIdp();
});
afterAll(async () => {
  await idp.server.close();
});

describe('EntraGraphTokenProvider with MSAL against the sandbox IdP', () => {
  it('signs in, seals the cache per user and serves tokens from it', async () => {
    const world = makeEntraWorld(idp.settings);
    const user = await signInAs(world, MEGAN.userPrincipalName);
    expect(user).toMatchObject({ tenantId: MEGAN.tenantId, objectId: MEGAN.id });
    const record = await world.custody.tokenStore.get(MEGAN.tenantId, MEGAN.id);
    expect(record?.version).toBe(1);
    expect(record?.sealed).not.toContain('graph.');
    const provider = world.makeProvider();
    const token = await provider.getAccessToken(identityOf(user));
    expect(token.startsWith(`graph.${MEGAN.tenantId}.${MEGAN.id}.`)).toBe(true);
    expect(await provider.getAccessToken(identityOf(user))).toBe(token);
  });

  it('requests exactly the configured Graph scopes at sign-in', async () => {
    const world = makeEntraWorld(idp.settings);
    await signInAs(world, MEGAN.userPrincipalName);
    const last = idp.controls.authorizeRequests.at(-1);
    expect(last?.codeChallengeMethod).toBe('S256');
    for (const scope of GRAPH_SCOPES) expect(last?.scopes).toContain(scope);
  });

  it('maps a revoked refresh token to auth_required with a login URL and forgets the custody', async () => {
    const world = makeEntraWorld(idp.settings);
    idp.controls.accessTokenLifetimeSeconds = 10; // already inside MSAL's renewal window
    const user = await signInAs(world, MEGAN.userPrincipalName);
    idp.controls.accessTokenLifetimeSeconds = 3600;
    idp.controls.revokeUser(MEGAN.tenantId, MEGAN.id);
    try {
      const error = await world.makeProvider().getAccessToken(identityOf(user)).catch((e: unknown) => e);
      expect(isDomainError(error) && error.category).toBe('auth_required');
      expect(isDomainError(error) && error.loginUrl).toBe('https://gateway.test/authorize');
      expect(await world.custody.tokenStore.get(MEGAN.tenantId, MEGAN.id)).toBeNull();
      expect(world.audit.find('graph_token.refresh', 'denied')[0]?.reason).toBe('invalid_grant');
    } finally {
      idp.controls.reinstateUser(MEGAN.tenantId, MEGAN.id);
    }
  });
});
