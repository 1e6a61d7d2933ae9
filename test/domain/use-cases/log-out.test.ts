import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthHarness } from '../../support/auth-harness.js';
import type { AuthHarness } from '../../support/auth-harness.js';
import { callMcp, obtainTokens } from '../../support/oauth-flow.js';
import { ALEX, MEGAN } from '../../support/sandbox-idp.js';

let h: AuthHarness;
beforeAll(async () => {
  h = await startAuthHarness();
});
afterAll(async () => {
  await h.close();
});

async function toolCall(accessToken: string, name: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${h.url}/mcp`, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: {} } }),
  });
  return ((await response.json()) as { result: Record<string, unknown> }).result;
}

describe('auth_logout and operator revocation leave nothing behind', () => {
  it('auth_logout clears every store of the user and only of that user', async () => {
    const first = await obtainTokens(h, MEGAN.userPrincipalName);
    const second = await obtainTokens(h, MEGAN.userPrincipalName); // a second client of the same user
    const other = await obtainTokens(h, ALEX.userPrincipalName);
    const identity = await h.server.verifyAccessToken(first.accessToken);
    if (identity === null) throw new Error('token invalid');
    await h.sessionBinding.open(identity);
    await toolCall(first.accessToken, 'graph_probe'); // warms the hot Graph token copy
    const refreshesBefore = h.controls.refreshCount(MEGAN.id);

    const result = await toolCall(first.accessToken, 'auth_logout');
    expect(result.structuredContent).toEqual({ grantsRevoked: 2, sessionsDeleted: 1, microsoftTokensDeleted: true });

    // Every store, inspected directly.
    expect(await h.grants.grantIdsForUser(MEGAN.tenantId, MEGAN.id)).toEqual([]);
    expect(await h.world.custody.tokenStore.get(MEGAN.tenantId, MEGAN.id)).toBeNull();
    expect([...h.sessions.sessions.values()].filter((s) => s.objectId === MEGAN.id)).toEqual([]);
    for (const token of [first.accessToken, second.accessToken]) expect(await h.server.verifyAccessToken(token)).toBeNull();
    const size = h.grants.size();
    expect(size.grants).toBe(1); // Alex's
    expect(size.accessTokens).toBe(1);
    expect(size.refreshTokens).toBe(1);
    expect(size.codes).toBe(0);
    // The process-local Graph token is gone too: a direct call must go to custody, which is empty.
    const error = await h.graphTokens.getAccessToken({ tenantId: MEGAN.tenantId, objectId: MEGAN.id, subject: identity.subject, clientId: first.clientId, scopes: [] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ category: 'auth_required' });
    expect(h.controls.refreshCount(MEGAN.id)).toBe(refreshesBefore);

    for (const token of [first, second]) expect((await callMcp(h, token.accessToken)).status).toBe(401);
    expect((await callMcp(h, other.accessToken)).status).toBe(200);
  });

  it('operator revocation of a whole tenant', async () => {
    const megan = await obtainTokens(h, MEGAN.userPrincipalName);
    const alex = await obtainTokens(h, ALEX.userPrincipalName);
    const result = await h.revokeUserAccess.execute({ tenantId: MEGAN.tenantId, operator: 'oncall' });
    expect(result.usersRevoked).toBeGreaterThanOrEqual(2);
    expect(await h.world.custody.tokenStore.listUsers(MEGAN.tenantId)).toEqual([]);
    expect(await h.grants.grantIdsForTenant(MEGAN.tenantId)).toEqual([]);
    for (const t of [megan, alex]) expect((await callMcp(h, t.accessToken)).status).toBe(401);
    expect(h.world.audit.find('operator.revoke', 'success').some((e) => e.actor === 'oncall')).toBe(true);
  });

  it('operator revocation validates its input', async () => {
    await expect(h.revokeUserAccess.execute({ tenantId: 'x y', operator: 'oncall' })).rejects.toMatchObject({ category: 'invalid_input' });
  });
});
