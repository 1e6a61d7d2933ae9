import { z } from 'zod';
import { ErrorCode, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { DomainError, invalidInput, notFound } from '../../../domain/errors.js';
import { SELECTABLE_FAMILIES } from '../../../domain/families.js';
import { ERROR_META_KEY, type ToolError } from '../error-mapper.js';
import { defineTool, familiesOf, READ_ONLY, type ToolContext, type ToolDefinition } from './tool-definition.js';
import type { ToolRegistry } from './tool-registry.js';

export interface DiscoveryToolDeps {
  /** The whole registry (late-bound: the registry itself holds these tools). */
  registry: () => ToolRegistry;
  /** The same pipeline `tools/call` uses: validation, guards, interceptors, error mapping. */
  call: (name: string, args: unknown, context: ToolContext) => Promise<CallToolResult>;
}

const MAX_RESULTS = 20;

/** Lower-case words of at least two characters; `mail_send` → mail, send. */
function words(text: string): string[] {
  return text.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 1);
}

function score(tool: ToolDefinition, terms: readonly string[]): number {
  const name = words(tool.name);
  const title = words(tool.title);
  const description = words(tool.description);
  let total = 0;
  for (const term of terms) {
    if (name.some((w) => w.startsWith(term))) total += 3;
    if (title.some((w) => w.startsWith(term))) total += 2;
    if (description.some((w) => w.startsWith(term))) total += 1;
  }
  return total;
}

function discoverable(context: ToolContext, tool: ToolDefinition): boolean {
  return tool.family !== 'tools' && (context.visible?.(tool) ?? true);
}

/** A failed inner call keeps its category, code and message when it passes back through tools_call. */
function rethrow(error: ToolError): never {
  throw new DomainError(error.category, error.code, error.message, {
    ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
    ...(error.graphRequestId !== undefined ? { graphRequestId: error.graphRequestId } : {}),
    ...(error.loginUrl !== undefined ? { loginUrl: error.loginUrl } : {}),
  });
}

/** Discovery mode: three small tools instead of the whole catalogue, for clients with small context windows. */
export function discoveryTools(deps: DiscoveryToolDeps): ToolDefinition[] {
  const unknownTool = (name: string): DomainError =>
    notFound('tools.unknownTool', `No tool named "${name.slice(0, 80)}" is available; find one with tools_search.`);
  return [
    defineTool({
      name: 'tools_search',
      family: 'tools',
      title: 'Find tools',
      description: 'Find Microsoft 365 tools by keywords (e.g. "reply mail", "free busy"). Then tools_describe for the arguments, and tools_call to run one.',
      input: z.object({
        query: z.string().max(200).describe('Keywords; empty lists every tool.'),
        family: z.enum(SELECTABLE_FAMILIES as [string, ...string[]]).optional(),
        limit: z.number().int().min(1).max(MAX_RESULTS).optional().describe(`Default 8, max ${MAX_RESULTS}.`),
      }),
      output: z.object({
        tools: z.array(z.object({ name: z.string(), family: z.string(), readOnly: z.boolean(), description: z.string() })),
        total: z.number().int(),
      }),
      annotations: { ...READ_ONLY, openWorldHint: false },
      run: async (context, input) => {
        const terms = words(input.query);
        const matches = deps
          .registry()
          .all()
          .filter((t) => discoverable(context, t) && (input.family === undefined || (familiesOf(t) as readonly string[]).includes(input.family)))
          .map((t) => ({ t, s: terms.length === 0 ? 1 : score(t, terms) }))
          .filter((m) => m.s > 0)
          .sort((a, b) => b.s - a.s || a.t.name.localeCompare(b.t.name));
        return {
          tools: matches.slice(0, input.limit ?? 8).map(({ t }) => ({
            name: t.name,
            family: t.family,
            readOnly: t.annotations.readOnlyHint,
            description: t.description,
          })),
          total: matches.length,
        };
      },
    }),
    defineTool({
      name: 'tools_describe',
      family: 'tools',
      title: 'Describe a tool',
      description: 'The full definition of one tool: description, JSON input and output schemas, annotations. Call it before tools_call.',
      input: z.object({ name: z.string().min(1).max(64) }),
      output: z.object({
        name: z.string(),
        description: z.string(),
        inputSchema: z.record(z.string(), z.unknown()),
        outputSchema: z.record(z.string(), z.unknown()),
        annotations: z.record(z.string(), z.unknown()),
      }),
      annotations: { ...READ_ONLY, openWorldHint: false },
      run: async (context, input) => {
        const registry = deps.registry();
        const tool = registry.get(input.name);
        const listed = registry.describe(input.name);
        if (tool === undefined || listed === undefined || !discoverable(context, tool)) throw unknownTool(input.name);
        return {
          name: listed.name,
          description: listed.description ?? '',
          inputSchema: listed.inputSchema,
          outputSchema: listed.outputSchema ?? {},
          annotations: listed.annotations ?? {},
        };
      },
    }),
    defineTool({
      name: 'tools_call',
      family: 'tools',
      title: 'Call a tool',
      description:
        'Run a tool found with tools_search, with arguments matching its tools_describe input schema. Same validation, limits and errors as a direct call.',
      input: z.object({
        name: z.string().min(1).max(64),
        arguments: z.record(z.string(), z.unknown()).optional().describe('The tool\'s arguments; default {}.'),
      }),
      output: z.looseObject({}),
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
      run: async (context, input) => {
        const tool = deps.registry().get(input.name);
        if (tool === undefined || !discoverable(context, tool)) throw unknownTool(input.name);
        let result: CallToolResult;
        try {
          result = await deps.call(input.name, input.arguments ?? {}, context);
        } catch (error) {
          if (error instanceof McpError && error.code === ErrorCode.InvalidParams) throw unknownTool(input.name);
          throw error;
        }
        if (result.isError) rethrow(result._meta?.[ERROR_META_KEY] as ToolError);
        if (result.structuredContent === undefined) throw invalidInput('tools.noResult', `${input.name} returned no structured result.`);
        return result.structuredContent;
      },
    }),
  ];
}
