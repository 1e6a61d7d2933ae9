import type { z } from 'zod';
import type { SandboxContext } from '../context.js';
import { badRequest } from '../graph-errors.js';

/** How a Graph workload words a request body it cannot use (each service has its own dialect). */
export interface BodyErrorDialect {
  code: string;
  /** The message for a body that is not JSON at all. */
  unreadable: string;
  /** Prefix of the message for JSON that does not match the operation's shape. */
  invalid: string;
}

export const OUTLOOK_BODY_ERRORS: BodyErrorDialect = {
  code: 'ErrorInvalidRequest',
  unreadable: 'Empty Payload. JSON content expected.',
  invalid: 'Invalid request payload:',
};
export const ONEDRIVE_BODY_ERRORS: BodyErrorDialect = {
  code: 'invalidRequest',
  unreadable: 'Invalid request: JSON content expected.',
  invalid: 'Invalid request:',
};
export const GRAPH_BODY_ERRORS: BodyErrorDialect = {
  code: 'BadRequest',
  unreadable: 'Unable to read JSON request payload.',
  invalid: 'Invalid request body:',
};

/** The request's JSON body checked against `schema`, or Graph's 400 in the workload's dialect. */
export async function readJsonBody<T>(
  c: SandboxContext,
  schema: z.ZodType<T>,
  dialect: BodyErrorDialect,
): Promise<T> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw badRequest(dialect.code, dialect.unreadable);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badRequest(
      dialect.code,
      `${dialect.invalid} ${issue?.path.join('.') || 'body'} ${issue?.message ?? ''}`.trim(),
    );
  }
  return parsed.data;
}
