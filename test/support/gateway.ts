import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ERROR_META_KEY, type ToolError } from '../../src/adapters/http/error-mapper.js';
import { InMemoryLogger } from '../../src/adapters/memory/in-memory-logger.js';
import { seededUser } from '../../src/adapters/sandbox/seed.js';
import type { ToolRegistry } from '../../src/adapters/http/tools/tool-registry.js';
import { loadConfig } from '../../src/app/config.js';
import { startGateway, type RunningGateway } from '../../src/app/gateway.js';
import { TOKENS } from '../../src/app/tokens.js';

/** The catalogue behind each connected client, so results are checked against the full zod output schemas. */
const registries = new WeakMap<Client, ToolRegistry>();

/** A gateway on a free port in sandbox mode, with its logs captured. */
export async function startTestGateway(
  env: Record<string, string> = {},
): Promise<RunningGateway & { logger: InMemoryLogger }> {
  const logger = new InMemoryLogger();
  const config = loadConfig({ PORT: '0', SANDBOX_PORT: '0', NODE_ENV: 'test', ...env });
  const gateway = await startGateway(config, { logger });
  return Object.assign(gateway, { logger });
}

/**
 * The SDK's MCP client over Streamable HTTP, signed in as a seeded sandbox user (default Megan).
 * It lists the tools once, so the SDK checks every later structuredContent against the listed output
 * schema; callOk also checks it against the tool's full zod output schema (the listing leaves out
 * `required`), so a missing or mistyped field fails the test. `headers` adds e.g. X-MCP-Profile.
 */
export async function connectClient(gateway: RunningGateway, userName = 'megan', headers: Record<string, string> = {}): Promise<Client> {
  const user = seededUser(userName);
  const token = gateway.devToken({ tenantId: user.tenantId, objectId: user.id });
  const client = new Client({ name: 'e2e-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(gateway.mcpUrl), {
      requestInit: { headers: { Authorization: `Bearer ${token}`, ...headers } },
    }),
  );
  await client.listTools();
  registries.set(client, gateway.container.get<ToolRegistry>(TOKENS.ToolRegistry));
  return client;
}

/** Calls a tool expecting success; fails the test with the tool error otherwise. */
export async function callOk<T = Record<string, unknown>>(client: Client, name: string, args: Record<string, unknown> = {}): Promise<T> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result._meta?.[ERROR_META_KEY])}`);
  const output = registries.get(client)?.get(name)?.output.safeParse(result.structuredContent);
  if (output?.success === false) throw new Error(`${name} returned a result outside its output schema: ${output.error.message}`);
  return result.structuredContent as T;
}

/** Calls a tool expecting a tool error, and returns it. */
export async function callError(client: Client, name: string, args: Record<string, unknown> = {}): Promise<ToolError> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  if (!result.isError) throw new Error(`${name} unexpectedly succeeded`);
  return result._meta?.[ERROR_META_KEY] as ToolError;
}
