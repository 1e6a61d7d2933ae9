import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { toolDisabledReason } from '../../../src/adapters/http/feature-flag-guard.js';
import { READ_ONLY, type ToolDefinition } from '../../../src/adapters/http/tools/tool-definition.js';

function tool(name: string, family: ToolDefinition['family'], sharedWith?: ToolDefinition['sharedWith']): ToolDefinition {
  return { name, family, ...(sharedWith ? { sharedWith } : {}), title: name, description: name, input: z.object({}), output: z.object({}), annotations: READ_ONLY, run: async () => ({}) };
}

const flags = (...disabled: string[]) => ({ disabled: new Set(disabled), readOnly: false, concurrency: {} });

describe('toolDisabledReason', () => {
  it('switches a tool off by name or by its family', () => {
    const list = tool('files_list', 'files');
    expect(toolDisabledReason(flags(), list)).toBeUndefined();
    expect(toolDisabledReason(flags('files_list'), list)).toBe('disabled');
    expect(toolDisabledReason(flags('files'), list)).toBe('disabled');
  });

  it('keeps a shared tool on while any of its families is on', () => {
    const chunk = tool('files_upload_chunk', 'files', ['mail']);
    expect(toolDisabledReason(flags('files'), chunk)).toBeUndefined();
    expect(toolDisabledReason(flags('mail'), chunk)).toBeUndefined();
    expect(toolDisabledReason(flags('files', 'mail'), chunk)).toBe('disabled');
    expect(toolDisabledReason(flags('files_upload_chunk'), chunk)).toBe('disabled');
  });
});
