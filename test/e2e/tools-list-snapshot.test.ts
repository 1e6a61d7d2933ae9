import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../src/app/gateway.js';
import { connectClient, startTestGateway } from '../support/gateway.js';

/**
 * The whole `tools/list` (names, descriptions, annotations, schemas) as a reviewed file: any change
 * to the interface assistants see shows up in the diff. Update with `npx vitest run -u <this file>`.
 */
describe('tools/list snapshot', () => {
  let gateway: RunningGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ TEAMS_ENABLED: 'true' });
  });
  afterAll(() => gateway.close());

  it('matches the reviewed catalogue', async () => {
    const client = await connectClient(gateway);
    const { tools } = await client.listTools();
    await client.close();
    await expect(`${JSON.stringify(tools, null, 2)}\n`).toMatchFileSnapshot('../__snapshots__/tools-list.json');
  });

  it('discovery mode lists three tools', async () => {
    const discovery = await startTestGateway({ TOOL_DISCOVERY_MODE: 'true' });
    try {
      const client = await connectClient(discovery);
      const { tools } = await client.listTools();
      await client.close();
      await expect(`${JSON.stringify(tools, null, 2)}\n`).toMatchFileSnapshot('../__snapshots__/tools-list-discovery.json');
    } finally {
      await discovery.close();
    }
  });
});
