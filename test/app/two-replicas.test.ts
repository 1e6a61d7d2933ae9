import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { Redis } from 'ioredis';
import { ERROR_META_KEY, type ToolError } from '../../src/adapters/http/error-mapper.js';
import { seededUser } from '../../src/adapters/sandbox/seed.js';
import { connectTo, spawnGateway, type GatewayProcess } from '../support/gateway-process.js';
import { MACHINE_REDIS_URL } from '../support/redis.js';

const run = promisify(execFile);
const CONTOSO = seededUser('megan').tenantId;
const REFRESH_SECONDS = 1;

/** Two gateway processes sharing the machine's Redis under a prefix unique to this run. */
describe('two gateway processes sharing Redis', () => {
  const prefix = `test:${randomUUID()}:`;
  const secret = randomBytes(24).toString('base64url');
  const env = {
    REDIS_URL: MACHINE_REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    FEATURE_FLAGS_REFRESH_SECONDS: String(REFRESH_SECONDS),
    // Contoso's tenant limit binds; users and other tenants have room.
    RATE_LIMIT_TENANT_OVERRIDES: `${CONTOSO}=3:5`,
    RATE_LIMIT_USER_PER_SECOND: '1000',
    RATE_LIMIT_USER_BURST: '1000',
  };
  let replicas: GatewayProcess[] = [];

  beforeAll(async () => {
    replicas = await Promise.all([spawnGateway(env, secret), spawnGateway(env, secret)]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    const raw = new Redis(MACHINE_REDIS_URL);
    const keys = await raw.keys(`${prefix}*`);
    if (keys.length > 0) await raw.del(...keys);
    raw.disconnect();
  });

  const clientFor = (replica: GatewayProcess, user: string): Promise<Client> => {
    const u = seededUser(user);
    return connectTo(replica.mcpUrl, replica.devToken({ tenantId: u.tenantId, objectId: u.id }));
  };
  const errorOf = (result: CallToolResult): ToolError | undefined => (result.isError ? (result._meta?.[ERROR_META_KEY] as ToolError) : undefined);

  it('hold one tenant limit between them within 10%', async () => {
    const clients = await Promise.all(replicas.flatMap((r) => [clientFor(r, 'megan'), clientFor(r, 'alex'), clientFor(r, 'adele')]));
    const durationMs = 5_000;
    const started = Date.now();
    let lastStart = started;
    let allowed = 0;
    const limited: ToolError[] = [];
    await Promise.all(
      clients.map(async (client) => {
        while (Date.now() - started < durationMs) {
          lastStart = Date.now();
          const error = errorOf((await client.callTool({ name: 'auth_whoami', arguments: {} })) as CallToolResult);
          if (error === undefined) allowed += 1;
          else limited.push(error);
        }
      }),
    );
    // Tokens are granted between the first and the last call's arrival.
    const elapsed = (lastStart - started) / 1000;
    await Promise.all(clients.map((c) => c.close()));
    const expected = 5 + 3 * elapsed; // burst + refill over the run
    expect(limited.length).toBeGreaterThan(0); // the clients really pushed past the limit
    for (const e of limited) expect(e).toMatchObject({ category: 'rate_limited', code: 'rateLimit.tenant', retryable: true });
    expect(limited[0]!.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    console.info(`rate limit across 2 processes: ${allowed} allowed, ${expected.toFixed(1)} expected, ${limited.length} limited`);
    expect(Math.abs(allowed - expected) / expected).toBeLessThanOrEqual(0.1);
  }, 60_000);

  it('apply `admin flags set --disable search` on both within the refresh interval, and hide the tool', async () => {
    const clients = await Promise.all(replicas.map((r) => clientFor(r, 'diego')));
    for (const c of clients) expect((await c.listTools()).tools.map((t) => t.name)).toContain('search_query');
    const adminEnv = { PATH: process.env['PATH'] ?? '', REDIS_URL: MACHINE_REDIS_URL, REDIS_KEY_PREFIX: prefix };
    await run(process.execPath, ['--import', 'tsx', 'src/app/admin.ts', 'flags', 'set', '--disable', 'search'], { env: adminEnv });
    const changedAt = Date.now();
    const tookMs = await Promise.all(
      clients.map(async (c) => {
        for (;;) {
          const error = errorOf((await c.callTool({ name: 'search_query', arguments: { query: 'budget', entities: ['driveItem'] } })) as CallToolResult);
          if (error?.category === 'feature_disabled') return Date.now() - changedAt;
          if (Date.now() - changedAt > 10_000) throw new Error('flag never applied');
          await new Promise((r) => setTimeout(r, 50));
        }
      }),
    );
    console.info(`flag applied after ${tookMs.join(' ms, ')} ms (refresh interval ${REFRESH_SECONDS * 1000} ms)`);
    for (const ms of tookMs) expect(ms).toBeLessThanOrEqual(REFRESH_SECONDS * 1000 + 500);
    for (const c of clients) expect((await c.listTools()).tools.map((t) => t.name)).not.toContain('search_query');

    // Read-only mode hides write tools; --enable brings search back.
    await run(process.execPath, ['--import', 'tsx', 'src/app/admin.ts', 'flags', 'set', '--enable', 'search', '--read-only', 'true'], { env: adminEnv });
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/app/admin.ts', 'flags', 'show'], { env: adminEnv });
    expect(JSON.parse(stdout).overrides).toEqual({ disabled: [], readOnly: true });
    await new Promise((r) => setTimeout(r, REFRESH_SECONDS * 1000 + 500));
    for (const c of clients) {
      const names = (await c.listTools()).tools.map((t) => t.name);
      expect(names).toContain('search_query');
      expect(names).not.toContain('mail_send');
      expect(names).not.toContain('files_upload');
      const refused = errorOf((await c.callTool({ name: 'mail_send', arguments: { to: ['x@contoso.example'], subject: 's', body: 'b' } })) as CallToolResult);
      expect(refused).toMatchObject({ category: 'feature_disabled', code: 'feature.readOnly', retryable: false });
    }
    await Promise.all(clients.map((c) => c.close()));
  }, 120_000);
});
