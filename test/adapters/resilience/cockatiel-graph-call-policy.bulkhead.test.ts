import { afterEach, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ERROR_META_KEY, type ToolError } from '../../../src/adapters/http/error-mapper.js';
import type { RunningGateway } from '../../../src/app/gateway.js';
import { connectClient, startTestGateway } from '../../support/gateway.js';

describe('per-family bulkhead against the sandbox', () => {
  let gateway: RunningGateway | undefined;
  let client: Client | undefined;
  afterEach(async () => {
    await client?.close();
    await gateway?.close();
  });

  const slowFiles = (g: RunningGateway, latencyMs = 50): void => {
    g.sandbox!.faults.set({ latencyMs, pathPattern: '/drive/' });
    g.sandbox!.stats.reset();
  };
  const call = async (c: Client): Promise<ToolError | undefined> => {
    const result = (await c.callTool({ name: 'files_list', arguments: {} })) as CallToolResult;
    return result.isError ? (result._meta?.[ERROR_META_KEY] as ToolError) : undefined;
  };

  it('200 concurrent slow calls never exceed the configured concurrency at the sandbox', async () => {
    gateway = await startTestGateway({ GRAPH_CONCURRENCY_BY_FAMILY: 'files=4', GRAPH_QUEUE_SIZE: '500', RATE_LIMIT_ENABLED: 'false' });
    client = await connectClient(gateway);
    slowFiles(gateway);
    const errors = await Promise.all(Array.from({ length: 200 }, () => call(client!)));
    expect(errors.filter((e) => e !== undefined)).toEqual([]);
    const stats = gateway.sandbox!.stats.snapshot();
    expect(stats.total).toBe(200);
    expect(stats.maxInFlight).toBeLessThanOrEqual(4);
    expect(stats.maxInFlight).toBeGreaterThanOrEqual(2); // it did run calls side by side
  });

  it('refuses calls beyond the queue bound with a retryable unavailable, and other families are unaffected', async () => {
    gateway = await startTestGateway({ GRAPH_CONCURRENCY_BY_FAMILY: 'files=2', GRAPH_QUEUE_SIZE: '3', RATE_LIMIT_ENABLED: 'false' });
    client = await connectClient(gateway);
    slowFiles(gateway, 500);
    const errors = await Promise.all(Array.from({ length: 20 }, () => call(client!)));
    const refused = errors.filter((e) => e !== undefined);
    // 2 running + 3 queued can be held at once; arrivals spread out a little, so not exactly 15.
    expect(refused.length).toBeGreaterThanOrEqual(5);
    for (const e of refused) expect(e).toMatchObject({ category: 'unavailable', code: 'graph.bulkheadFull', retryable: true, retryAfterSeconds: 1 });
    expect(gateway.sandbox!.stats.snapshot().total).toBe(20 - refused.length);
    const mail = (await client.callTool({ name: 'mail_list_messages', arguments: { pageSize: 1 } })) as CallToolResult;
    expect(mail.isError).toBeFalsy();
  });
});
