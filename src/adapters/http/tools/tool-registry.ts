import { z } from 'zod';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { ToolDefinition } from './tool-definition.js';

/**
 * The tool catalogue with JSON schemas computed once at start-up, so `tools/list` costs a
 * lookup rather than a schema conversion per request.
 */
export class ToolRegistry {
  private readonly byName = new Map<string, ToolDefinition>();
  private readonly listed = new Map<string, Tool>();

  constructor(tools: readonly ToolDefinition[]) {
    for (const tool of tools) {
      if (this.byName.has(tool.name)) throw new Error(`duplicate tool ${tool.name}`);
      this.byName.set(tool.name, tool);
      this.listed.set(tool.name, toMcpTool(tool));
    }
  }

  get(name: string): ToolDefinition | undefined {
    return this.byName.get(name);
  }

  /** The `tools/list` entry of one tool (JSON schemas included). */
  describe(name: string): Tool | undefined {
    return this.listed.get(name);
  }

  all(): ToolDefinition[] {
    return [...this.byName.values()];
  }

  /** The `tools/list` entries for the tools `visible` lets through, in catalogue order. */
  list(visible: (tool: ToolDefinition) => boolean = () => true): Tool[] {
    return this.all()
      .filter(visible)
      .map((tool) => this.listed.get(tool.name) as Tool);
  }
}

function toMcpTool(tool: ToolDefinition): Tool {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: jsonSchema(tool.input, 'input'),
    outputSchema: jsonSchema(tool.output, 'output'),
    annotations: { ...tool.annotations },
  };
}

/**
 * Listing diet. zod writes its own validation regex next to `format` (email, date-time): hundreds of characters
 * per field that say nothing `format` does not. The regex still runs server-side; only the listing
 * drops it, which keeps tools/list small for the model's context.
 */
function dropFormatPatterns(node: unknown, output: boolean): void {
  if (Array.isArray(node)) {
    for (const item of node) dropFormatPatterns(item, output);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const record = node as Record<string, unknown>;
  if (typeof record.format === 'string') delete record.pattern;
  // Output objects are closed by our own zod schemas already; repeating it per object costs tokens.
  if (output && record.additionalProperties === false) delete record.additionalProperties;
  for (const value of Object.values(record)) dropFormatPatterns(value, output);
}

function jsonSchema(schema: z.ZodObject, io: 'input' | 'output'): Tool['inputSchema'] {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  dropFormatPatterns(rest, io === 'output');
  return { ...rest, type: 'object' } as Tool['inputSchema'];
}
