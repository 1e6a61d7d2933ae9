import { z } from 'zod';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { ToolAnnotations, ToolDefinition } from './tool-definition.js';

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
    annotations: listedAnnotations(tool.annotations),
  };
}

/**
 * The hints that say something. MCP defines `openWorldHint` as true unless stated and gives
 * `destructiveHint`/`idempotentHint` meaning only when `readOnlyHint` is false, so those are left out
 * where they would repeat the default; `readOnlyHint` is always stated.
 */
function listedAnnotations(a: ToolAnnotations): NonNullable<Tool['annotations']> {
  return {
    readOnlyHint: a.readOnlyHint,
    ...(a.readOnlyHint ? {} : { destructiveHint: a.destructiveHint, idempotentHint: a.idempotentHint }),
    ...(a.openWorldHint ? {} : { openWorldHint: false }),
  };
}

/** zod's bounds for `.int()`: the safe-integer range, which no real argument comes near. */
const SAFE_INTEGER_BOUNDS: Readonly<Record<string, number>> = { minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER };

/**
 * Listing diet: what the model reads costs context on every request. Validation still runs
 * server-side against the full zod schemas; the listing leaves out what adds no information:
 * - zod's regex next to `format` (email, date-time): hundreds of characters that say nothing `format` does not;
 * - `maxLength` next to `format: email` (an address is at most 320 characters by definition);
 * - zod's safe-integer bounds on `.int()`, and `minLength: 1` (an empty id or name is never meant);
 * - in output schemas, `additionalProperties: false` (our outputs are closed by construction) and
 *   `required`: the model reads the values it gets; which ones are always there does not change what
 *   it does. Tests check results against the full zod output schemas instead.
 */
function dropNoise(node: unknown, output: boolean): void {
  if (Array.isArray(node)) {
    for (const item of node) dropNoise(item, output);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const record = node as Record<string, unknown>;
  if (typeof record.format === 'string') delete record.pattern;
  if (record.format === 'email') delete record.maxLength;
  for (const [key, bound] of Object.entries(SAFE_INTEGER_BOUNDS)) if (record[key] === bound) delete record[key];
  if (record.minLength === 1) delete record.minLength;
  if (output && record.additionalProperties === false) delete record.additionalProperties;
  if (output && Array.isArray(record.required)) delete record.required;
  for (const [key, value] of Object.entries(record)) {
    // `properties` maps names to schemas: a property called "required" is not the keyword.
    if (key === 'properties' && typeof value === 'object' && value !== null) for (const child of Object.values(value)) dropNoise(child, output);
    else dropNoise(value, output);
  }
}

function jsonSchema(schema: z.ZodObject, io: 'input' | 'output'): Tool['inputSchema'] {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  dropNoise(rest, io === 'output');
  return { ...rest, type: 'object' } as Tool['inputSchema'];
}
