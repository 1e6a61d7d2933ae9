import { payloadTooLarge } from '../../domain/errors.js';
import type { ToolCallGuard } from './tool-call-pipeline.js';
import type { ToolContext, ToolDefinition } from './tools/tool-definition.js';

/**
 * Caps inline content in any tool argument: a string longer than the base64 form of the cap (4/3
 * of it) is refused before the tool runs, with directions to the upload-session tools. Keeps big
 * payloads off the JSON-RPC path, whatever tool they were sent to.
 */
export class InlineContentGuard implements ToolCallGuard {
  private readonly maxChars: number;

  constructor(private readonly maxBytes: number) {
    this.maxChars = Math.ceil(maxBytes / 3) * 4;
  }

  async check(_tool: ToolDefinition, _context: ToolContext, input: Record<string, unknown>): Promise<void> {
    const path = this.oversized(input, '');
    if (path === null) return;
    throw payloadTooLarge(
      'input.inlineContentTooLarge',
      `Argument ${path} is over the inline content limit of ${this.maxBytes} bytes. Send large files with files_upload_start (mail attachments: mail_attachment_upload_start), ` +
        'then files_upload_chunk calls (or a binary PUT to /uploads/{uploadId}); download big files through the link files_download returns.',
    );
  }

  private oversized(value: unknown, path: string, depth = 0): string | null {
    if (typeof value === 'string') return value.length > this.maxChars ? path || '(arguments)' : null;
    if (depth > 16 || typeof value !== 'object' || value === null) return null;
    const entries: [string, unknown][] = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
    for (const [key, child] of entries) {
      const found = this.oversized(child, path === '' ? key : `${path}.${key}`, depth + 1);
      if (found !== null) return found;
    }
    return null;
  }
}
