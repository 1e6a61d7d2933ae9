import { ConfigError, loadConfig } from './config.js';
import { startGateway, StartupError } from './gateway.js';
import { SEEDED_USERS } from '../adapters/sandbox/seed.js';

/** Entry point: `npm start`. With no configuration: the sandbox tenant, in-memory stores, a local key. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  let gateway;
  try {
    gateway = await startGateway(config);
  } catch (error) {
    if (error instanceof StartupError) {
      console.error(error.message);
      process.exit(69); // EX_UNAVAILABLE
    }
    throw error;
  }
  if (gateway.identity) {
    const user = SEEDED_USERS[0]!;
    console.log(
      [
        `m365-mcp-gateway (sandbox tenant, OAuth) listening on ${gateway.url}`,
        `  MCP endpoint (Streamable HTTP): ${gateway.mcpUrl} — any MCP client with OAuth support signs in by itself.`,
        `  Sandbox sign-in: ${gateway.identity.url} (pick a demo user, e.g. ${user.userPrincipalName}; headless: POST user=<upn> to the authorize URL)`,
      ].join('\n'),
    );
  } else if (gateway.sandbox) {
    const user = SEEDED_USERS[0]!;
    const token = gateway.devToken({ tenantId: user.tenantId, objectId: user.id });
    console.log(
      [
        `m365-mcp-gateway (sandbox tenant) listening on ${gateway.url}`,
        `  MCP endpoint (Streamable HTTP): ${gateway.mcpUrl}`,
        `  Sandbox Graph (faults and stats under /_sandbox/): ${gateway.sandbox.url}`,
        `  Signed in as ${user.displayName} <${user.mail}> with this development bearer token (sandbox only):`,
        `  ${token}`,
        `  Try it: npx @modelcontextprotocol/inspector  → Transport "Streamable HTTP", URL ${gateway.mcpUrl},`,
        `          Authentication header "Authorization: Bearer <token above>"`,
      ].join('\n'),
    );
  } else {
    console.log(`m365-mcp-gateway listening on ${gateway.url}`);
  }
  const stop = (signal: string): void => {
    console.log(`${signal}: draining in-flight requests`);
    gateway.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

void main();
