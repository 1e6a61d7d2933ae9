import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { mintDevToken } from '../../src/adapters/http/dev-token-authenticator.js';

/** A gateway in its own OS process (`npm start`'s entry point), sharing nothing in memory with the test. */
export interface GatewayProcess {
  child: ChildProcess;
  url: string;
  mcpUrl: string;
  sandboxUrl: string;
  devToken(user: { tenantId: string; objectId: string }): string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

/** Spawns `tsx src/app/main.ts` with `env` on a free port and waits for its start-up banner. */
export async function spawnGateway(env: Record<string, string>, secret: string): Promise<GatewayProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/app/main.ts'], {
    env: { PATH: process.env['PATH'] ?? '', NODE_ENV: 'test', PORT: '0', SANDBOX_PORT: '0', LOG_LEVEL: 'error', ...env, SANDBOX_SECRET: secret },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines = createInterface({ input: child.stdout! });
  const banner = await new Promise<{ url: string; mcpUrl: string; sandboxUrl: string }>((resolve, reject) => {
    const found: Record<string, string> = {};
    const timer = setTimeout(() => reject(new Error(`gateway did not start: ${stderr}`)), 90_000);
    void exited.then((code) => reject(new Error(`gateway exited with ${code}: ${stderr}`)));
    lines.on('line', (line) => {
      const url = /listening on (\S+)/.exec(line)?.[1];
      const mcp = /MCP endpoint \(Streamable HTTP\): (\S+)/.exec(line)?.[1];
      const sandbox = /Sandbox Graph .*: (\S+)/.exec(line)?.[1];
      if (url) found['url'] = url;
      if (mcp) found['mcpUrl'] = mcp;
      if (sandbox) found['sandboxUrl'] = sandbox;
      if (found['url'] && found['mcpUrl'] && found['sandboxUrl']) {
        clearTimeout(timer);
        resolve({ url: found['url'], mcpUrl: found['mcpUrl'], sandboxUrl: found['sandboxUrl'] });
      }
    });
  });
  return {
    child,
    ...banner,
    devToken: (user) => mintDevToken(secret, user),
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** The SDK's MCP client against any gateway URL with a bearer token. */
export async function connectTo(mcpUrl: string, token: string): Promise<Client> {
  const client = new Client({ name: 'e2e-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  return client;
}
