import type { z } from 'zod';
import { FAMILIES, type Family } from '../../../domain/families.js';
import type { Identity } from '../../../domain/identity.js';

/** Tool families: the unit of scopes, flags, breakers and dashboards; `tools` is discovery mode's own. */
export const TOOL_FAMILIES = [...FAMILIES, 'tools'] as const;
export type ToolFamily = Family | 'tools';

export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/** What a tool handler knows about the call besides its arguments. */
export interface ToolContext {
  caller: Identity;
  correlationId: string;
  signal?: AbortSignal;
  /** The client's per-request narrowing (`X-MCP-Profile`), when it sent one. */
  profile?: RequestProfile;
  /** Which tools this caller may see in this request (flags, profile); discovery tools honour it. */
  visible?: (tool: ToolDefinition) => boolean;
}

/** A client's narrowing of the deployment's catalogue for one request. */
export interface RequestProfile {
  families: readonly Family[];
  readOnly: boolean;
}

export interface ToolDefinition<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  name: string;
  family: ToolFamily;
  /** Other families the tool also serves (upload chunks carry files and mail attachments alike). */
  sharedWith?: readonly Family[];
  title: string;
  description: string;
  input: I;
  output: O;
  annotations: ToolAnnotations;
  run(context: ToolContext, input: z.output<I>): Promise<z.input<O>>;
}

/** The families a tool belongs to: profiles include it when they include any of them. */
export function familiesOf(tool: ToolDefinition): readonly ToolFamily[] {
  return tool.sharedWith === undefined ? [tool.family] : [tool.family, ...tool.sharedWith];
}

/** Identity function that keeps the input/output types of one tool tied together. */
export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(tool: ToolDefinition<I, O>): ToolDefinition {
  return tool as unknown as ToolDefinition;
}

export const READ_ONLY: ToolAnnotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: true,
};

/** Changes state to a value the input names (mark read, move, rename): repeating it changes nothing more. */
export const UPDATES: ToolAnnotations = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: true,
};

/** Removes or overwrites something (delete, cancel): destructive, idempotent. */
export const DESTROYS: ToolAnnotations = {
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: true,
  openWorldHint: true,
};

/** Creates something new (a sent mail, a file): not idempotent without an idempotency key. */
export const CREATES: ToolAnnotations = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: false,
  openWorldHint: true,
};
