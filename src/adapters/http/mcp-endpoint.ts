import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv-provider.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { Identity } from '../../domain/identity.js';
import type { ToolCallPipeline } from './tool-call-pipeline.js';
import { profileAllows } from './request-profile.js';
import type { RequestProfile, ToolDefinition } from './tools/tool-definition.js';
import type { ToolRegistry } from './tools/tool-registry.js';

/**
 * One JSON-schema validator for every per-request server: the SDK's default builds a new Ajv
 * instance per Server, which cost milliseconds per request and dominated the gateway's overhead.
 */
const SHARED_VALIDATOR = new AjvJsonSchemaValidator();

export interface McpEndpointDeps {
  registry: ToolRegistry;
  pipeline: ToolCallPipeline;
  serverInfo: { name: string; version: string };
  instructions: string;
  /** Which tools this caller may see right now (flags, read-only mode, profiles). */
  visibleTools?: (caller: Identity) => Promise<(tool: ToolDefinition) => boolean>;
  /** Discovery mode: `tools/list` shows only the `tools_*` family; the rest is reached through tools_call. */
  discoveryMode?: boolean;
}

/**
 * Serves one MCP request statelessly: a fresh protocol server and transport per HTTP request, so
 * any replica can answer any request and nothing a later request needs lives in this process.
 * `message` is the request's JSON body, already read and parsed by the caller (within the body
 * limit); the transport still checks the headers and the JSON-RPC shape.
 */
export async function handleMcpRequest(
  deps: McpEndpointDeps,
  request: Request,
  message: unknown,
  caller: Identity,
  correlationId: string,
  profile?: RequestProfile,
): Promise<Response> {
  const server = new Server(deps.serverInfo, {
    capabilities: { tools: { listChanged: true } },
    instructions: deps.instructions,
    jsonSchemaValidator: SHARED_VALIDATOR,
  });
  const visibility = async (): Promise<(tool: ToolDefinition) => boolean> => {
    const flagged = deps.visibleTools ? await deps.visibleTools(caller) : () => true;
    return (tool) => profileAllows(profile, tool) && flagged(tool);
  };
  server.setRequestHandler(ListToolsRequestSchema, async () => {
    const visible = await visibility();
    return { tools: deps.registry.list((t) => (deps.discoveryMode ? t.family === 'tools' : visible(t))) };
  });
  server.setRequestHandler(CallToolRequestSchema, async (req, extra) =>
    deps.pipeline.call(req.params.name, req.params.arguments, {
      caller,
      correlationId,
      signal: extra.signal,
      visible: await visibility(),
      ...(profile ? { profile } : {}),
    }),
  );
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  await server.connect(transport);
  // Closed only on failure, to stop handlers still running. A JSON response is complete once
  // handleRequest resolves, so nothing of this server outlives the request; closing it then would
  // abort the finished handler's signal (a DOMException and an McpError per call, ~4% of gateway CPU).
  try {
    return await transport.handleRequest(request, { parsedBody: message });
  } catch (error) {
    void server.close();
    throw error;
  }
}
