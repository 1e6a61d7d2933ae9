import type { z } from 'zod';
import type { Identity } from '../../../domain/identity.js';

/** Tool families: the unit of scopes, flags, breakers and dashboards. */
export const TOOL_FAMILIES = ['mail', 'calendar', 'files', 'search', 'contacts', 'tasks', 'teams', 'auth'] as const;
export type ToolFamily = (typeof TOOL_FAMILIES)[number];

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
}

export interface ToolDefinition<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  name: string;
  family: ToolFamily;
  title: string;
  description: string;
  input: I;
  output: O;
  annotations: ToolAnnotations;
  run(context: ToolContext, input: z.output<I>): Promise<z.input<O>>;
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

/** Creates something new (a sent mail, a file): not idempotent without an idempotency key. */
export const CREATES: ToolAnnotations = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: false,
  openWorldHint: true,
};
