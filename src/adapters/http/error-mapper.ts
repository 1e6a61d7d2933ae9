import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { DomainError, isDomainError } from '../../domain/errors.js';

/** The structured error every failed tool call carries (ARCHITECTURE.md, error taxonomy). */
export interface ToolError {
  category: DomainError['category'];
  code: string;
  message: string;
  retryable: boolean;
  retryAfterSeconds?: number;
  correlationId: string;
  graphRequestId?: string;
  loginUrl?: string;
}

export const ERROR_META_KEY = 'io.m365-gateway/error';

/** Anything that is not a DomainError is a bug: the client gets a correlation id, the log gets the details. */
export function toToolError(error: unknown, correlationId: string): ToolError {
  const domain = isDomainError(error)
    ? error
    : new DomainError('internal', 'internal.unexpected', 'An unexpected error occurred; quote the correlation id.');
  const result: ToolError = {
    category: domain.category,
    code: domain.code,
    message: domain.message,
    retryable: domain.retryable,
    correlationId,
  };
  if (domain.retryAfterSeconds !== undefined) result.retryAfterSeconds = domain.retryAfterSeconds;
  if (domain.graphRequestId !== undefined) result.graphRequestId = domain.graphRequestId;
  if (domain.loginUrl !== undefined) result.loginUrl = domain.loginUrl;
  return result;
}

/**
 * The one place a failure becomes an MCP tool result. The error rides in the text content (what a
 * model reads) and in `_meta` (what a program reads); `structuredContent` is left out because it
 * must conform to the tool's success output schema.
 */
export function toErrorResult(error: ToolError): CallToolResult {
  return {
    isError: true,
    content: [{ type: 'text', text: JSON.stringify({ error }) }],
    _meta: { [ERROR_META_KEY]: error },
  };
}
