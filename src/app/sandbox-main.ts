import { startSandbox } from '../adapters/sandbox/sandbox-server.js';
import { ConfigError, loadConfig } from './config.js';

/**
 * `npm run sandbox`: the sandbox tenant alone, for several gateways to share
 * (SANDBOX_EMBEDDED=false GRAPH_BASE_URL=<url>/v1.0 SANDBOX_SECRET=<same>).
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78);
    }
    throw error;
  }
  const sandbox = await startSandbox({ port: config.sandbox.port, seed: config.sandbox.seed, tokenSecret: config.sandbox.secret });
  console.log(`sandbox Graph listening on ${sandbox.url}/v1.0`);
  const stop = (): void => void sandbox.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

void main();
