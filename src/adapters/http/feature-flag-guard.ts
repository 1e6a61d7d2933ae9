import { DomainError } from '../../domain/errors.js';
import type { EffectiveFlags } from '../flags/polled-feature-flags.js';
import type { ToolCallGuard } from './tool-call-pipeline.js';
import { familiesOf, type ToolDefinition } from './tools/tool-definition.js';

/** Why a tool is off right now, or undefined when it may run. */
export function toolDisabledReason(flags: EffectiveFlags, tool: ToolDefinition): 'disabled' | 'read_only' | undefined {
  // A shared tool stays on while any of its families is on.
  if (flags.disabled.has(tool.name) || familiesOf(tool).every((f) => flags.disabled.has(f))) return 'disabled';
  if (flags.readOnly && !tool.annotations.readOnlyHint) return 'read_only';
  return undefined;
}

/** Refuses tools an operator switched off (by name or family) and write tools in read-only mode. */
export class FeatureFlagGuard implements ToolCallGuard {
  constructor(private readonly flags: () => EffectiveFlags) {}

  async check(tool: ToolDefinition): Promise<void> {
    const reason = toolDisabledReason(this.flags(), tool);
    if (reason === 'disabled') {
      throw new DomainError('feature_disabled', 'feature.disabled', `${tool.name} is switched off by an operator for now. Do not retry; use another tool or ask an administrator.`);
    }
    if (reason === 'read_only') {
      throw new DomainError('feature_disabled', 'feature.readOnly', `This server is in read-only mode for now, so ${tool.name} is unavailable. Only reading tools work.`);
    }
  }
}
