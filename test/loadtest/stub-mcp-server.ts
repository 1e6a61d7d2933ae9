import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

/**
 * A stand-in MCP peer for checking the Locust harness itself (SSE parsing, auth header, failure
 * accounting) until the app's sandbox mode can be started in its place. Real MCP SDK transport,
 * stateless like the app: a fresh server per request.
 */
export interface StubMcpServer {
  url: string;
  calls: Map<string, number>;
  close(): Promise<void>;
}

export interface StubOptions {
  token: string;
  tools: string[];
  /** Tools that answer with a typed tool error instead of a result. */
  failingTools?: string[];
}

export async function startStubMcpServer(options: StubOptions): Promise<StubMcpServer> {
  const calls = new Map<string, number>();
  const failing = new Set(options.failingTools ?? []);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.url !== '/mcp' || req.method !== 'POST') {
      res.writeHead(404).end();
      return;
    }
    if (req.headers.authorization !== `Bearer ${options.token}`) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorized"}');
      return;
    }
    const server = new McpServer({ name: 'stub-m365-gateway', version: '0.0.0' });
    for (const tool of options.tools) {
      server.registerTool(tool, { description: `stub ${tool}` }, () => {
        calls.set(tool, (calls.get(tool) ?? 0) + 1);
        if (failing.has(tool)) {
          const error = { category: 'unavailable', code: 'stub.down', message: 'stub failure', retryable: true };
          return { isError: true, content: [{ type: 'text', text: error.message }], structuredContent: { error } };
        }
        return { content: [{ type: 'text', text: 'ok' }], structuredContent: { items: [] } };
      });
    }
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res);
  };

  const http = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise<void>((resolve, reject) => {
        http.closeAllConnections();
        http.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
