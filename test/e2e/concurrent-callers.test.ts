import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededUser } from '../../src/adapters/sandbox/seed.js';
import type { RunningGateway } from '../../src/app/gateway.js';
import { callOk, connectClient, startTestGateway } from '../support/gateway.js';

/**
 * Every MCP request gets its own protocol server bound to that request's caller. Interleaved
 * concurrent calls of two users must each see only their own identity and their own mailbox.
 */
describe('concurrent callers', () => {
  let gateway: RunningGateway;
  let clients: Record<'megan' | 'alex', Client>;
  beforeAll(async () => {
    gateway = await startTestGateway({ RATE_LIMIT_ENABLED: 'false' });
    clients = { megan: await connectClient(gateway, 'megan'), alex: await connectClient(gateway, 'alex') };
  });
  afterAll(async () => {
    await Promise.all(Object.values(clients).map((c) => c.close()));
    await gateway.close();
  });

  it('never lets one user see the other user’s identity or mail', async () => {
    const inboxOf = async (name: 'megan' | 'alex'): Promise<string[]> =>
      (await callOk<{ messages: Array<{ id: string }> }>(clients[name], 'mail_list_messages', { pageSize: 25 })).messages.map((m) => m.id);
    const own = { megan: new Set(await inboxOf('megan')), alex: new Set(await inboxOf('alex')) };
    expect([...own.megan].some((id) => own.alex.has(id))).toBe(false);

    const calls = Array.from({ length: 60 }, async (_, i) => {
      const name = i % 2 === 0 ? 'megan' : 'alex';
      if (i % 4 < 2) {
        const me = await callOk<{ profile: { id: string } }>(clients[name], 'auth_whoami');
        return { name, ok: me.profile.id === seededUser(name).id };
      }
      const ids = await inboxOf(name);
      return { name, ok: ids.length > 0 && ids.every((id) => own[name].has(id)) };
    });
    const results = await Promise.all(calls);
    expect(results.filter((r) => !r.ok)).toEqual([]);
  });
});
