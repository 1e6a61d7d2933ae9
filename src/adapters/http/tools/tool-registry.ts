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
    annotations: { title: tool.title, ...tool.annotations },
  };
}

function jsonSchema(schema: z.ZodObject, io: 'input' | 'output'): Tool['inputSchema'] {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return { ...rest, type: 'object' } as Tool['inputSchema'];
}
